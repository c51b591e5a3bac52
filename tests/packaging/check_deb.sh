#!/usr/bin/env bash
# Builds the .deb with CPack from the build tree and checks what it would install.
# usage: check_deb.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$build" && cpack -G DEB -B "$work/out" >/dev/null)
deb=$(ls "$work"/out/*.deb)
dpkg-deb -x "$deb" "$work/root"
fail=0
for f in usr/bin/syncdesk usr/bin/syncdesk-cli usr/bin/syncdesk-sandbox \
         usr/share/applications/io.syncdesk.SyncDesk.desktop \
         usr/share/metainfo/io.syncdesk.SyncDesk.metainfo.xml \
         usr/share/icons/hicolor/scalable/apps/io.syncdesk.SyncDesk.svg \
         usr/share/icons/hicolor/256x256/apps/io.syncdesk.SyncDesk.png \
         usr/share/icons/hicolor/16x16/apps/io.syncdesk.SyncDesk.png; do
  if [ ! -e "$work/root/$f" ]; then echo "missing from the package: /$f"; fail=1; fi
done
depends=$(dpkg-deb -f "$deb" Depends)
for d in libqt6sql6-sqlite qt6-qpa-plugins libqt6widgets6 libqt6keychain1 libcurl4; do
  case "$depends" in *"$d"*) ;; *) echo "Depends lacks $d: $depends"; fail=1;; esac
done
file "$work/root/usr/bin/syncdesk-cli" | grep -q ELF || { echo "syncdesk-cli is not an executable"; fail=1; }
# Debian's libraries are found by the system's search path: no program carries one of its own.
for b in syncdesk syncdesk-cli syncdesk-sandbox; do
  if readelf -d "$work/root/usr/bin/$b" | grep -E '\((RPATH|RUNPATH)\)'; then
    echo "/usr/bin/$b carries a library search path"; fail=1
  fi
done
[ $fail -eq 0 ] && echo "package $(basename "$deb") looks right"
exit $fail
