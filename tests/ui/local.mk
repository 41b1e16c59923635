# Live curses UI tests (tests/ui/): the real ntrace in a tmux server of its
# own, against 127.0.0.1 or the lab; skipped (77) when not root.
ui_tests = tests/ui/basic.sh tests/ui/resize.sh tests/ui/signals.sh \
	tests/ui/lab.sh
TESTS += $(ui_tests)
EXTRA_DIST += tests/ui/lib.sh $(ui_tests)

# Pure UI helpers (ui/ui_layout.c) under cmocka.
if UNIT_TESTS
check_PROGRAMS += tests/unit/test_ui_layout
TESTS += tests/unit/test_ui_layout
tests_unit_test_ui_layout_SOURCES = tests/unit/test_ui_layout.c
tests_unit_test_ui_layout_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ui_layout_LDADD = libntrace_ui.a $(UNIT_LDADD)
endif
