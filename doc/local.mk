# doc/local.mk - the manual page, the example configuration, completion
dist_man_MANS += doc/sockwatch.8
EXTRA_DIST += doc/sockwatch.conf

bashcompletiondir = $(BASH_COMPLETION_DIR)
dist_bashcompletion_DATA = doc/completion/sockwatch
