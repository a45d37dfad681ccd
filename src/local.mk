# src/local.mk - the program, and the library of its modules that the unit
# tests link module by module.

bin_PROGRAMS += src/sockwatch
noinst_LIBRARIES += src/libsockwatch.a

src_libsockwatch_a_SOURCES = \
	src/anomaly.c src/anomaly.h src/anomaly_rules.h \
	src/anomaly_close.c src/anomaly_evidence.c \
	src/anomaly_listen.c src/anomaly_peer.c src/anomaly_text.c \
	src/anomaly_traffic.c \
	src/batch.c src/batch.h src/batch_lines.c src/batch_report.c \
	src/batch_cols.c src/batch_cols.h \
	src/batch_csv.c src/batch_json.c src/batch_nagios.c \
	src/batch_prometheus.c src/batch_text.c \
	src/conf.c src/conf.h \
	src/counters.c src/counters.h \
	src/diag.c src/diag.h src/diag_parse.c \
	src/diag_reader.c src/diag_reader.h \
	src/filter.c src/filter.h src/filter_parse.h src/filter_lex.c \
	src/filter_term.c \
	src/filter_match.c src/filter_bc.c \
	src/format.c src/format.h \
	src/group.c src/group.h src/group_sort.c \
	src/kill.c src/kill.h src/kill_cli.c src/kill_cli.h \
	src/log.c src/log.h \
	src/model.c src/model.h \
	src/monitor.c src/monitor.h \
	src/netns.c src/netns.h \
	src/nls.h \
	src/pace.c src/pace.h \
	src/prefix.c src/prefix.h \
	src/proc.c src/proc.h \
	src/replay.c src/replay.h \
	src/safefile.c src/safefile.h \
	src/resolve.c src/resolve_async.c src/resolve.h \
	src/sock.c src/sock.h src/sock_names.c \
	src/source.c src/source.h \
	src/statefile.c src/statefile.h \
	src/sysinfo.c src/sysinfo.h \
	src/thread.c src/thread.h \
	src/tui_bindings.c src/tui_bindings.h \
	src/tui_cell.c src/tui_detail.c src/tui_explain.c src/tui_filter.c \
	src/tui_group.c src/tui_help.c src/tui_trend.c src/tui_mode.c \
	src/tui_sock.c src/tui_sort.c src/tui_text.c \
	src/tui_text.h src/tui_view.c src/tui_view.h \
	src/xmalloc.c src/xmalloc.h
src_libsockwatch_a_CFLAGS = $(AM_CFLAGS)

# The dashboard's drawing files are the only ones that see curses.
src_sockwatch_SOURCES = src/main.c src/dashboard.c src/dashboard.h \
	src/options.c src/options.h src/run.c src/run.h \
	src/allns.c src/allns.h \
	src/tui.c src/tui.h src/tui_curses.h src/tui_draw.c src/tui_keys.c \
	src/tui_page.c src/tui_paint.c src/tui_panel.c src/tui_screen.h \
	src/tui_session.c src/tui_setup.c
src_sockwatch_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
src_sockwatch_LDADD = src/libsockwatch.a $(LIBMNL_LIBS) $(NCURSES_LIBS) \
	$(LIBINTL)
