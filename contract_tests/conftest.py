pytest_plugins = ["contract_tests.plugin", "contract_tests.gate", "contract_tests.progress"]
