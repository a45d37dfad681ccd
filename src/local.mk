# src/local.mk - the program, and the library of its modules that the unit
# tests link module by module.

bin_PROGRAMS += src/sockwatch
noinst_LIBRARIES += src/libsockwatch.a

src_libsockwatch_a_SOURCES = \
	src/anomaly.c src/anomaly.h src/anomaly_rules.h \
	src/anomaly_close.c src/anomaly_evidence.c \
	src/anomaly_listen.c src/anomaly_traffic.c \
	src/batch.c src/batch.h src/batch_anomaly.c src/batch_anomaly.h \
	src/conf.c src/conf.h \
	src/counters.c src/counters.h \
	src/diag.c src/diag.h src/diag_parse.c \
	src/format.c src/format.h \
	src/group.c src/group.h \
	src/log.c src/log.h \
	src/model.c src/model.h \
	src/monitor.c src/monitor.h \
	src/nls.h \
	src/prefix.c src/prefix.h \
	src/proc.c src/proc.h \
	src/replay.c src/replay.h \
	src/sock.c src/sock.h \
	src/state.c src/state.h \
	src/sysinfo.c src/sysinfo.h \
	src/xmalloc.c src/xmalloc.h
src_libsockwatch_a_CFLAGS = $(AM_CFLAGS) $(LIBMNL_CFLAGS)

src_sockwatch_SOURCES = src/main.c
src_sockwatch_CFLAGS = $(AM_CFLAGS) $(LIBMNL_CFLAGS)
src_sockwatch_LDADD = src/libsockwatch.a $(LIBMNL_LIBS) $(LIBINTL) -lm
