"""Conformance suite: fuzzes any OpenPanel admin API deployment against ``spec/openapi.yaml``."""
