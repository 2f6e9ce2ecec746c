from contract_tests.plugin import SUITE_PLUGINS

pytest_plugins = list(SUITE_PLUGINS)
