#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks a Flatpak manifest for what the store and the sandbox rely on:
# the app id, the GNOME runtime it is built against, the command, that the
# sandbox stays least-privilege and that every source is pinned. Secrets go
# through the Secret portal, notifications and files through their portals,
# so the manifest must never open the keyring's D-Bus name, the notification
# daemon or the user's files directly.
#
# The development manifest (an id ending in ".Devel") builds the checkout it
# sits in (a "dir" source) with -Ddevelopment=true; the release manifest
# builds a tagged git commit without it.
#
# Usage: check-manifest.py MANIFEST EXPECTED_APP_ID
#        check-manifest.py --self-test MANIFEST EXPECTED_APP_ID
#          (also checks that broken copies of MANIFEST are refused)

import copy
import json
import os
import re
import sys

EXPECTED = {
    "runtime": "org.gnome.Platform",
    "runtime-version": "47",
    "sdk": "org.gnome.Sdk",
    "command": "omnistock",
}
# Exactly what the app needs, nothing more: anything else is refused.
REQUIRED_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
]
ALLOWED_ARGS = set(REQUIRED_ARGS)
# Why the usual suspects are refused, for a clearer message.
REFUSED_BECAUSE = {
    "--filesystem": "import and export go through the file chooser portal",
    "--talk-name=org.freedesktop.secrets": "libsecret uses the Secret portal",
    "--talk-name=org.freedesktop.Notifications": "notifications go through the portal",
    "--talk-name=org.freedesktop.Flatpak": "it lets the app leave the sandbox",
    "--socket=x11": "use --socket=fallback-x11 beside --socket=wayland",
    "--socket=session-bus": "portals need no session bus access",
    "--socket=system-bus": "the app talks to no system service",
    "--device=all": "--device=dri is all the app draws with",
    "--share=all": "the app needs the network only",
}
# Libraries the app links that the GNOME runtime does not ship.
REQUIRED_MODULES = ["libzint"]

SHA256 = re.compile(r"^[0-9a-f]{64}$")
SHA512 = re.compile(r"^[0-9a-f]{128}$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")


def refusal_reason(arg):
    for prefix, why in REFUSED_BECAUSE.items():
        if arg == prefix or arg.startswith(prefix + "=") or arg.startswith(prefix + "."):
            return why
    return "the app does not need it"


def source_problems(module_name, index, source, devel):
    where = f"module '{module_name}' source {index + 1}"
    if not isinstance(source, dict):
        return [f"{where} is not an object"]

    kind = source.get("type")
    if kind in ("archive", "file"):
        if "url" not in source and "path" in source:
            return []  # a file of this repository, pinned with it
        if "url" not in source:
            return [f"{where} ({kind}) has neither url nor path"]
        if not str(source["url"]).startswith("https://"):
            return [f"{where} downloads over {source['url']!r}: use https"]
        if SHA256.match(str(source.get("sha256", ""))) or SHA512.match(str(source.get("sha512", ""))):
            return []
        return [f"{where} ({kind}) is not pinned: give its sha256"]
    if kind == "git":
        if "path" in source and "url" not in source:
            return [f"{where} (git) builds a local checkout: give the url and commit"]
        if not COMMIT.match(str(source.get("commit", ""))):
            return [f"{where} (git) is not pinned: give the full commit hash"]
        if "branch" in source:
            return [f"{where} (git) follows a branch: pin a tag and commit instead"]
        return []
    if kind == "dir":
        if devel:
            return []
        return [f"{where} builds a local directory: a release builds a tagged git commit"]
    if kind in ("patch", "script", "shell", "inline"):
        if kind == "patch" and "url" in source:
            return source_problems(module_name, index, dict(source, type="file"), devel)
        return []
    return [f"{where} has type {kind!r}, which this check cannot prove is pinned"]


def module_problems(module, devel, base_dir, seen):
    if isinstance(module, str):
        path = os.path.join(base_dir, module)
        if path in seen:
            return [f"module file {module} includes itself"]
        try:
            with open(path, encoding="utf-8") as f:
                module = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            return [f"cannot read module file {module}: {e}"]
        return module_problems(module, devel, os.path.dirname(path), seen | {path})
    if not isinstance(module, dict):
        return ["a module is neither an object nor a file name"]

    name = module.get("name", "?")
    problems = []
    sources = module.get("sources", [])
    if not sources:
        problems.append(f"module '{name}' has no sources")
    for i, source in enumerate(sources):
        problems += source_problems(name, i, source, devel)
    for child in module.get("modules", []):
        problems += module_problems(child, devel, base_dir, seen)
    return problems


def problems_in(manifest, app_id, base_dir="."):
    problems = []
    devel = app_id.endswith(".Devel")

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
        if arg not in ALLOWED_ARGS:
            problems.append(f"finish-args has {arg}: {refusal_reason(arg)}")

    modules = manifest.get("modules", [])
    names = [m.get("name") for m in modules if isinstance(m, dict)]
    for module in modules:
        problems += module_problems(module, devel, base_dir, frozenset())

    ours = [m for m in modules if isinstance(m, dict) and m.get("name") == "omnistock"]
    if len(ours) != 1:
        problems.append("there must be exactly one module named 'omnistock'")
    else:
        module = ours[0]
        if names[-1] != "omnistock":
            problems.append("the omnistock module must come last, after the libraries it links")
        if module.get("buildsystem") != "meson":
            problems.append("the omnistock module must build with meson")
        opts = module.get("config-opts", [])
        kinds = {s.get("type") for s in module.get("sources", []) if isinstance(s, dict)}
        if devel:
            if "-Ddevelopment=true" not in opts:
                problems.append("the omnistock module must configure with -Ddevelopment=true")
            if "dir" not in kinds:
                problems.append("the omnistock module must build from a 'dir' source")
        else:
            if any(o.startswith("-Ddevelopment=") and o != "-Ddevelopment=false" for o in opts):
                problems.append("a release must not configure with -Ddevelopment=true")
            if kinds != {"git"}:
                problems.append("the omnistock module must build from a git tag and commit")
            for s in module.get("sources", []):
                if isinstance(s, dict) and s.get("type") == "git" and not s.get("tag"):
                    problems.append("the omnistock module's git source must name its tag")

    for required in REQUIRED_MODULES:
        if required not in names:
            problems.append(f"there is no module '{required}', which the app links")

    return problems


def read_manifest(path):
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
    if not isinstance(manifest, dict):
        raise ValueError("the manifest is not a JSON object")
    return manifest


def self_test(manifest, app_id, base_dir):
    """Each broken copy of a good manifest must be refused."""
    def omni(m):
        return next(x for x in m["modules"] if isinstance(x, dict) and x.get("name") == "omnistock")

    def first_archive(m):
        for x in m["modules"]:
            for s in x.get("sources", []) if isinstance(x, dict) else []:
                if s.get("type") == "archive":
                    return s
        raise AssertionError("the manifest has no archive source to break")

    breakers = {
        "home access": lambda m: m["finish-args"].append("--filesystem=home"),
        "keyring name": lambda m: m["finish-args"].append("--talk-name=org.freedesktop.secrets"),
        "notification daemon": lambda m: m["finish-args"].append(
            "--talk-name=org.freedesktop.Notifications"),
        "plain x11": lambda m: m["finish-args"].append("--socket=x11"),
        "no network": lambda m: m["finish-args"].remove("--share=network"),
        "wrong runtime": lambda m: m.update({"runtime-version": "46"}),
        "wrong command": lambda m: m.update({"command": "omnistock-cli"}),
        "wrong id": lambda m: m.update({"id": app_id + "x"}),
        "unpinned archive": lambda m: first_archive(m).pop("sha256"),
        "http archive": lambda m: first_archive(m).update(
            {"url": first_archive(m)["url"].replace("https://", "http://")}),
        "no libzint": lambda m: m["modules"].pop(0),
        "app not last": lambda m: m["modules"].reverse(),
    }
    if app_id.endswith(".Devel"):
        breakers["no development profile"] = lambda m: omni(m).pop("config-opts")
    else:
        breakers["app from a dir"] = lambda m: omni(m).update(
            {"sources": [{"type": "dir", "path": ".."}]})
        breakers["git without commit"] = lambda m: omni(m)["sources"][0].pop("commit")
        breakers["git on a branch"] = lambda m: omni(m)["sources"][0].update({"branch": "main"})
        breakers["development profile"] = lambda m: omni(m).update(
            {"config-opts": ["-Ddevelopment=true"]})

    failures = []
    for name, breaker in breakers.items():
        broken = copy.deepcopy(manifest)
        breaker(broken)
        if not problems_in(broken, app_id, base_dir):
            failures.append(name)
    return failures, len(breakers)


def main(argv):
    args = argv[1:]
    run_self_test = bool(args) and args[0] == "--self-test"
    if run_self_test:
        args = args[1:]
    if len(args) != 2:
        print(f"usage: {argv[0]} [--self-test] MANIFEST EXPECTED_APP_ID", file=sys.stderr)
        return 2
    path, app_id = args
    try:
        manifest = read_manifest(path)
    except (OSError, ValueError) as e:
        print(f"{path}: cannot read the manifest: {e}", file=sys.stderr)
        return 1

    base_dir = os.path.dirname(os.path.abspath(path))
    problems = problems_in(manifest, app_id, base_dir)
    for p in problems:
        print(f"{path}: {p}", file=sys.stderr)
    if problems:
        return 1

    if run_self_test:
        failures, n = self_test(manifest, app_id, base_dir)
        for name in failures:
            print(f"{path}: a copy with '{name}' was not refused", file=sys.stderr)
        if failures:
            return 1
        print(f"{path}: ok, and all {n} broken copies refused")
    else:
        print(f"{path}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
