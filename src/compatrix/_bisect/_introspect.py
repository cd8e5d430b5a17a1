"""The script run inside a throwaway env to list a distribution's public surface.

It runs on the env's own Python (3.8 on), prints one JSON object and must not import
anything from compatrix. Kept apart so that :mod:`._surface` stays about the diff.
"""

from __future__ import annotations

__all__ = ["SCRIPT"]

SCRIPT = r"""
import importlib, inspect, json, pkgutil, re, sys, warnings
warnings.simplefilter("ignore")
import importlib.metadata as md

NAME = sys.argv[1]
LIMIT = 300
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def describe(obj):
    kind = "class" if inspect.isclass(obj) else "function" if callable(obj) else "value"
    if kind == "value":
        return kind
    try:
        return kind + " " + ADDRESS.sub("", str(inspect.signature(obj)))
    except (TypeError, ValueError):
        return kind


def tops(dist):
    names = set()
    text = dist.read_text("top_level.txt")
    if text:
        names.update(text.split())
    for file in dist.files or ():
        head = file.parts[0]
        if head.endswith((".dist-info", ".egg-info", ".data")) or head == "..":
            continue
        if len(file.parts) == 1 and head.endswith(".py"):
            names.add(head[:-3])
        elif len(file.parts) > 1:
            names.add(head)
    return sorted(n for n in names if n.isidentifier() and not n.startswith("_"))


def private(name):
    return any(p.startswith("_") or p in ("tests", "test", "testing") for p in name.split("."))


def public(module):
    listed = getattr(module, "__all__", None)
    found = {}
    if isinstance(listed, (list, tuple)):
        names = [n for n in listed if isinstance(n, str)]
    else:
        names = [n for n in dir(module) if not n.startswith("_")]
    for name in names:
        try:
            obj = getattr(module, name)
        except Exception:
            continue
        if inspect.ismodule(obj):
            continue
        owner = getattr(obj, "__module__", None) or ""
        defined = owner == module.__name__ or (
            hasattr(module, "__path__") and owner.startswith(module.__name__ + ".")
        )
        if listed is None and not ((inspect.isclass(obj) or inspect.isfunction(obj)) and defined):
            continue
        found[name] = describe(obj)
        if inspect.isclass(obj):
            for attr, value in sorted(vars(obj).items()):
                if attr.startswith("_") and attr != "__init__":
                    continue
                if inspect.isfunction(value) or isinstance(value, (staticmethod, classmethod)):
                    found[name + "." + attr] = describe(getattr(obj, attr))
    return found


dist = md.distribution(NAME)
modules, errors = {}, {}
for top in tops(dist):
    queue = [top]
    try:
        root = importlib.import_module(top)
    except Exception as exc:
        errors[top] = type(exc).__name__ + ": " + str(exc)[:200]
        continue
    if hasattr(root, "__path__"):
        for info in pkgutil.walk_packages(root.__path__, top + ".", onerror=lambda n: None):
            if not private(info.name):
                queue.append(info.name)
    for name in queue[:LIMIT]:
        try:
            module = importlib.import_module(name)
        except Exception as exc:
            errors[name] = type(exc).__name__ + ": " + str(exc)[:200]
            continue
        modules[name] = public(module)
meta = dist.metadata
urls = [u for u in (meta.get_all("Project-URL") or [])]
if meta.get("Home-page"):
    urls.append("Homepage, " + meta["Home-page"])
print(json.dumps({"version": dist.version, "modules": modules, "errors": errors, "urls": urls}))
"""
