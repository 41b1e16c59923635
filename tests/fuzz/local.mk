# libFuzzer targets (configure --enable-fuzzing CC=clang).
#   make fuzz-packet          fuzz the packet codec for FUZZ_TIME seconds
#   make fuzz-packet-regress  replay the seed corpus once (quick check)
# The seeds are the replies tests/unit/test_packet.c builds; regenerate with
#   NTRACE_WRITE_CORPUS=$(srcdir)/tests/fuzz/corpus/packet tests/unit/test_packet
EXTRA_DIST += tests/fuzz/corpus

FUZZ_TARGETS = packet

if FUZZING
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
FUZZ_TIME = 120

check_PROGRAMS += tests/fuzz/fuzz_packet
tests_fuzz_fuzz_packet_SOURCES = tests/fuzz/fuzz_packet.c \
	src/packet.c src/packet.h src/addr.c src/addr.h
tests_fuzz_fuzz_packet_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_packet_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_FLAGS)

fuzz-packet: tests/fuzz/fuzz_packet$(EXEEXT)
	$(MKDIR_P) tests/fuzz/work/packet
	tests/fuzz/fuzz_packet$(EXEEXT) -max_total_time=$(FUZZ_TIME) \
		tests/fuzz/work/packet $(srcdir)/tests/fuzz/corpus/packet

fuzz-packet-regress: tests/fuzz/fuzz_packet$(EXEEXT)
	tests/fuzz/fuzz_packet$(EXEEXT) $(srcdir)/tests/fuzz/corpus/packet/*

.PHONY: fuzz-packet fuzz-packet-regress
endif

# scripts/check asks which targets there are, then runs fuzz-NAME for each.
print-fuzz-targets:
	@echo $(FUZZ_TARGETS)
