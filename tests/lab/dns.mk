# Lab tests of names and AS numbers through c-ares against dnsmasq and a
# hostile DNS responder (tests/lab/dns_*.sh).
dns_tests = \
	tests/lab/dns_names.sh \
	tests/lab/dns_hostile.sh \
	tests/lab/dns_dead.sh \
	tests/lab/dns_refresh.sh
TESTS += $(dns_tests)
EXTRA_DIST += $(dns_tests) tests/lab/dns_lib.sh tests/lab/dns_hostile.py
