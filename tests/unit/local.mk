# tests/unit/local.mk

# Model and anomaly engine (issue 3): each test links the library.
EXTRA_DIST += tests/data/proc-netstat.txt tests/data/proc-snmp.txt \
	tests/data/proc-sockstat.txt
if HAVE_CMOCKA
MODEL_UNIT_TESTS = tests/unit/test_counters tests/unit/test_model \
	tests/unit/test_anomaly tests/unit/test_conf tests/unit/test_proc
check_PROGRAMS += $(MODEL_UNIT_TESTS)
TESTS += $(MODEL_UNIT_TESTS)
MODEL_UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
MODEL_UNIT_LDADD = src/libsockwatch.a $(CMOCKA_LIBS) $(LIBMNL_LIBS) $(LIBINTL) -lm
tests_unit_test_counters_SOURCES = tests/unit/test_counters.c
tests_unit_test_counters_CFLAGS = $(MODEL_UNIT_CFLAGS)
tests_unit_test_counters_LDADD = $(MODEL_UNIT_LDADD)
tests_unit_test_model_SOURCES = tests/unit/test_model.c
tests_unit_test_model_CFLAGS = $(MODEL_UNIT_CFLAGS)
tests_unit_test_model_LDADD = $(MODEL_UNIT_LDADD)
tests_unit_test_anomaly_SOURCES = tests/unit/test_anomaly.c
tests_unit_test_anomaly_CFLAGS = $(MODEL_UNIT_CFLAGS)
tests_unit_test_anomaly_LDADD = $(MODEL_UNIT_LDADD)
tests_unit_test_conf_SOURCES = tests/unit/test_conf.c
tests_unit_test_conf_CFLAGS = $(MODEL_UNIT_CFLAGS)
tests_unit_test_conf_LDADD = $(MODEL_UNIT_LDADD)
tests_unit_test_proc_SOURCES = tests/unit/test_proc.c
tests_unit_test_proc_CFLAGS = $(MODEL_UNIT_CFLAGS)
tests_unit_test_proc_LDADD = $(MODEL_UNIT_LDADD)
endif
