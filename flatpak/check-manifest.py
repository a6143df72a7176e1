#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the Flatpak manifest for what the store and the sandbox rely on:
# the app id, the GNOME runtime it is built against, the command, and that the
# sandbox stays least-privilege. Secrets go through the Secret portal and
# files through the file chooser portal, so the manifest must never open the
# keyring's D-Bus name or the user's files directly.
#
# Usage: check-manifest.py MANIFEST EXPECTED_APP_ID

import json
import sys

EXPECTED = {
    "runtime": "org.gnome.Platform",
    "runtime-version": "47",
    "sdk": "org.gnome.Sdk",
    "command": "omnistock",
}
REQUIRED_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
]
FORBIDDEN_TALK_NAMES = [
    "org.freedesktop.secrets",
]


def problems_in(manifest, app_id):
    problems = []

    ids = {manifest.get(k) for k in ("id", "app-id") if k in manifest}
    if ids != {app_id}:
        problems.append(f"app id is {sorted(map(str, ids))}, expected '{app_id}'")

    for key, want in EXPECTED.items():
        got = manifest.get(key)
        if got != want:
            problems.append(f"'{key}' is {got!r}, expected {want!r}")

    args = manifest.get("finish-args", [])
    for arg in REQUIRED_ARGS:
        if arg not in args:
            problems.append(f"finish-args lacks {arg}")
    for arg in args:
        if arg.startswith("--filesystem"):
            problems.append(f"finish-args has {arg}: use the file chooser portal instead")
        if arg.startswith("--talk-name=") or arg.startswith("--own-name="):
            name = arg.split("=", 1)[1]
            if any(name == n or name.startswith(n + ".") for n in FORBIDDEN_TALK_NAMES):
                problems.append(f"finish-args has {arg}: libsecret uses the Secret portal")
        if arg in ("--socket=x11", "--socket=session-bus", "--socket=system-bus",
                   "--device=all", "--share=all"):
            problems.append(f"finish-args has {arg}, wider than the app needs")

    modules = manifest.get("modules", [])
    ours = [m for m in modules if isinstance(m, dict) and m.get("name") == "omnistock"]
    if len(ours) != 1:
        problems.append("there must be exactly one module named 'omnistock'")
    else:
        module = ours[0]
        if module.get("buildsystem") != "meson":
            problems.append("the omnistock module must build with meson")
        if "-Ddevelopment=true" not in module.get("config-opts", []):
            problems.append("the omnistock module must configure with -Ddevelopment=true")
        if not any(s.get("type") == "dir" for s in module.get("sources", [])):
            problems.append("the omnistock module must build from a 'dir' source")

    return problems


def main(argv):
    if len(argv) != 3:
        print(f"usage: {argv[0]} MANIFEST EXPECTED_APP_ID", file=sys.stderr)
        return 2
    path, app_id = argv[1], argv[2]
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"{path}: cannot read the manifest: {e}", file=sys.stderr)
        return 1
    if not isinstance(manifest, dict):
        print(f"{path}: the manifest is not a JSON object", file=sys.stderr)
        return 1

    problems = problems_in(manifest, app_id)
    for p in problems:
        print(f"{path}: {p}", file=sys.stderr)
    if not problems:
        print(f"{path}: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
