# Lab integration tests: the real ntrace in network namespaces (tests/lab/).
