# doc/local.mk - the manual page, examples, bash completion
dist_man_MANS += doc/sockwatch.8

examplesdir = $(docdir)/examples
dist_examples_DATA = doc/examples/sockwatch.conf doc/examples/sockwatch.cron \
	doc/examples/sockwatch-textfile.service \
	doc/examples/sockwatch-textfile.timer

bashcompletiondir = $(BASH_COMPLETION_DIR)
dist_bashcompletion_DATA = doc/completion/sockwatch

# The rule reference: kernel facts, thresholds and why.
dist_doc_DATA = doc/rules.md
