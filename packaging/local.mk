# packaging/local.mk - Debian packaging, carried by the tarball so that
# packagers build from it (packaging/build-deb; see README's Packaging).
EXTRA_DIST += packaging/build-deb packaging/debian/changelog \
	packaging/debian/control packaging/debian/copyright \
	packaging/debian/docs packaging/debian/rules \
	packaging/debian/sockwatch.lintian-overrides \
	packaging/debian/source/format packaging/debian/watch
