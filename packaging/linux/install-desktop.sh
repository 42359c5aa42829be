#!/usr/bin/env bash
# Put ftstudio in the desktop's application menu and make .jsonl files open in it,
# for the current user only (no root needed). Run it from the unpacked bundle
# (ftstudio/desktop/install-desktop.sh) or from a checkout (packaging/linux/).
#
#   install-desktop.sh [--exec PATH] [--no-default] [--uninstall]
#
#   --exec PATH    the program to start (default: the bundle's ftstudio, or the
#                  `ftstudio` found on PATH when run from a checkout)
#   --no-default   offer ftstudio for .jsonl files but do not make it the default
#   --uninstall    remove what an earlier run installed
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
apps=$data_home/applications
mime=$data_home/mime
icons=$data_home/icons/hicolor
exec_path=""
make_default=1
uninstall=0

while [[ $# -gt 0 ]]; do
    case $1 in
        --exec) exec_path=${2:?--exec needs a path}; shift 2 ;;
        --no-default) make_default=0; shift ;;
        --uninstall) uninstall=1; shift ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install-desktop.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

refresh() {
    # Each tool is optional: without it the desktop picks the change up later.
    if command -v update-mime-database >/dev/null; then update-mime-database "$mime" >/dev/null 2>&1 || true; fi
    if command -v update-desktop-database >/dev/null; then update-desktop-database "$apps" >/dev/null 2>&1 || true; fi
    if command -v gtk-update-icon-cache >/dev/null; then gtk-update-icon-cache -q -t "$icons" >/dev/null 2>&1 || true; fi
}

if [[ $uninstall == 1 ]]; then
    rm -f "$apps/ftstudio.desktop" "$mime/packages/ftstudio-jsonl.xml"
    rm -f "$icons"/*/apps/ftstudio.png "$icons/scalable/apps/ftstudio.svg"
    refresh
    echo "ftstudio was removed from the application menu."
    exit 0
fi

# Where the program and the icons are: beside this script in a bundle, or in the
# checkout (icons rendered by `python packaging/make_icons.py build/icons`).
if [[ -z $exec_path ]]; then
    if [[ -x $here/../ftstudio ]]; then
        exec_path=$here/../ftstudio
    elif command -v ftstudio >/dev/null; then
        exec_path=$(command -v ftstudio)
    else
        echo "install-desktop.sh: cannot find the ftstudio program; pass --exec PATH" >&2
        exit 1
    fi
fi
exec_path=$(cd "$(dirname "$exec_path")" && pwd)/$(basename "$exec_path")
if [[ -d $here/icons ]]; then
    png_dir=$here/icons svg=$here/icons/ftstudio.svg
else
    repo=$(cd "$here/../.." && pwd)
    png_dir=$repo/build/icons svg=$repo/resources/icons/ftstudio.svg
fi

mkdir -p "$apps" "$mime/packages" "$icons/scalable/apps"
# The Exec path is quoted for the desktop entry spec (it may contain spaces);
# "&", "|" and "\" are escaped for sed.
sed_path=$(printf '%s' "$exec_path" | sed -e 's/[\\&|]/\\&/g')
sed -e "s|^Exec=.*|Exec=\"$sed_path\" %f|" -e "s|^TryExec=.*|TryExec=$sed_path|" \
    "$here/ftstudio.desktop" >"$apps/ftstudio.desktop"
cp "$here/ftstudio-jsonl.xml" "$mime/packages/ftstudio-jsonl.xml"
cp "$svg" "$icons/scalable/apps/ftstudio.svg"
for png in "$png_dir"/ftstudio-*.png; do
    [[ -e $png ]] || continue
    size=${png##*/ftstudio-}
    size=${size%.png}
    mkdir -p "$icons/${size}x${size}/apps"
    cp "$png" "$icons/${size}x${size}/apps/ftstudio.png"
done
refresh
if [[ $make_default == 1 ]] && command -v xdg-mime >/dev/null; then
    xdg-mime default ftstudio.desktop application/jsonl || true
fi
echo "ftstudio is now in the application menu and opens .jsonl files ($exec_path)."
