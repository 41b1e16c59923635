# libFuzzer targets (configure --enable-fuzzing CC=clang).
#   make fuzz-NAME          fuzz NAME for FUZZ_TIME seconds
#   make fuzz-NAME-regress  replay NAME's seed corpus once (quick check)
# Targets: packet (the codec), options (argv and NTRACE_OPTIONS), names
# (DNS answers, the name cache and the sanitiser).
# Seeds: packet holds the replies tests/unit/test_packet.c builds
#   (NTRACE_WRITE_CORPUS=$(srcdir)/tests/fuzz/corpus/packet tests/unit/test_packet)
#   and lab-* captures with hostile variants (sudo tests/fuzz/lab_capture.sh);
#   names comes from tests/fuzz/dns_seeds.py; options is hand-made (each
#   file: a flag byte, an error-buffer size byte, NUL-separated words).
EXTRA_DIST += tests/fuzz/corpus tests/fuzz/pcap_split.py \
	tests/fuzz/lab_capture.sh tests/fuzz/dns_seeds.py

FUZZ_TARGETS = packet options names

if FUZZING
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
FUZZ_TIME = 120

check_PROGRAMS += tests/fuzz/fuzz_packet tests/fuzz/fuzz_options \
	tests/fuzz/fuzz_names
tests_fuzz_fuzz_packet_SOURCES = tests/fuzz/fuzz_packet.c \
	src/packet.c src/packet.h src/addr.c src/addr.h
tests_fuzz_fuzz_packet_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_packet_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_FLAGS)

tests_fuzz_fuzz_options_SOURCES = tests/fuzz/fuzz_options.c \
	src/options.c src/options.h src/fields.c src/fields.h \
	src/stats.c src/stats.h src/packet.c src/packet.h \
	src/addr.c src/addr.h
tests_fuzz_fuzz_options_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_options_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_FLAGS)

tests_fuzz_fuzz_names_SOURCES = tests/fuzz/fuzz_names.c \
	src/names.c src/names.h src/sanitize.c src/sanitize.h \
	src/addr.c src/addr.h
tests_fuzz_fuzz_names_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_names_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_FLAGS)

# Each target fuzzes into a scratch corpus seeded from the checked-in one,
# so the repository only changes when someone copies a finding in.
fuzz-packet: tests/fuzz/fuzz_packet$(EXEEXT)
	$(MKDIR_P) tests/fuzz/work/packet
	tests/fuzz/fuzz_packet$(EXEEXT) -max_total_time=$(FUZZ_TIME) \
		tests/fuzz/work/packet $(srcdir)/tests/fuzz/corpus/packet

fuzz-packet-regress: tests/fuzz/fuzz_packet$(EXEEXT)
	tests/fuzz/fuzz_packet$(EXEEXT) $(srcdir)/tests/fuzz/corpus/packet/*

fuzz-options: tests/fuzz/fuzz_options$(EXEEXT)
	$(MKDIR_P) tests/fuzz/work/options
	tests/fuzz/fuzz_options$(EXEEXT) -max_total_time=$(FUZZ_TIME) \
		tests/fuzz/work/options $(srcdir)/tests/fuzz/corpus/options

fuzz-options-regress: tests/fuzz/fuzz_options$(EXEEXT)
	tests/fuzz/fuzz_options$(EXEEXT) $(srcdir)/tests/fuzz/corpus/options/*

fuzz-names: tests/fuzz/fuzz_names$(EXEEXT)
	$(MKDIR_P) tests/fuzz/work/names
	tests/fuzz/fuzz_names$(EXEEXT) -max_total_time=$(FUZZ_TIME) \
		tests/fuzz/work/names $(srcdir)/tests/fuzz/corpus/names

fuzz-names-regress: tests/fuzz/fuzz_names$(EXEEXT)
	tests/fuzz/fuzz_names$(EXEEXT) $(srcdir)/tests/fuzz/corpus/names/*

.PHONY: fuzz-packet fuzz-packet-regress fuzz-options fuzz-options-regress \
	fuzz-names fuzz-names-regress
endif

# scripts/check asks which targets there are, then runs fuzz-NAME for each.
print-fuzz-targets:
	@echo $(FUZZ_TARGETS)
