# doc/local.mk - the manual page and examples
dist_man_MANS += doc/sockwatch.8

bashcompletiondir = $(BASH_COMPLETION_DIR)
dist_bashcompletion_DATA = doc/completion/sockwatch
