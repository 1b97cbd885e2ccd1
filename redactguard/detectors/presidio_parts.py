"""Import the parts of Presidio the recognizers use, not the whole library.

`presidio_analyzer/__init__.py` imports everything: the analyzer engine, the registry and its
YAML configuration, every NLP engine, and every country's recognizers (a package whose import
compiles some two hundred regexes). That is about a second more than the classes the generic
detector uses, paid by every scan and every worker.

`import_parts()` puts a stand-in module in place of each package in `LIGHT_PACKAGES` (same name,
same `__path__`, its `__init__` not run yet) and asks each stand-in for the names in `NEEDED`.
A stand-in finds a name in the submodule that its `__init__` would have imported it from (read
from the `__init__`'s source, not run) and imports just that submodule; the submodules are
Presidio's own, run unchanged. Afterwards a stand-in asked for any name it does not yet hold
runs its package's real `__init__` in place first (its parents' before it), and so does an
import of any submodule below a stand-in (an import hook), so other code in the process (`from
presidio_analyzer import AnalyzerEngine`, `from presidio_analyzer.analyzer_engine import ...`)
gets the whole package, in Presidio's import order, with the same classes. If anything goes
wrong on the way (a Presidio release that moved a name), the stand-ins and what they imported
are dropped and Presidio is imported the ordinary way.
"""

from __future__ import annotations

import ast
import importlib
import importlib.abc
import importlib.util
import sys
import types
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["LIGHT_PACKAGES", "NEEDED", "import_parts"]

#: Packages whose `__init__` imports far more than the recognizers use.
LIGHT_PACKAGES: tuple[str, ...] = (
    "presidio_analyzer",
    "presidio_analyzer.nlp_engine",
    "presidio_analyzer.predefined_recognizers",
    "presidio_analyzer.predefined_recognizers.generic",
)

#: Every name our recognizer modules import from those packages.
NEEDED: Mapping[str, Sequence[str]] = {
    "presidio_analyzer": ("AnalysisExplanation", "EntityRecognizer", "Pattern", "PatternRecognizer", "RecognizerResult"),
    "presidio_analyzer.nlp_engine": ("NlpArtifacts",),
    "presidio_analyzer.predefined_recognizers": (
        "CreditCardRecognizer", "EmailRecognizer", "IbanRecognizer", "NhsRecognizer",
        "UkDrivingLicenceRecognizer", "UkNinoRecognizer", "UkPassportRecognizer",
        "UkPostcodeRecognizer", "UkVehicleRegistrationRecognizer",
    ),
}

_STANDIN = "__redactguard_standin__"  # set on a stand-in until its real __init__ has run
_resolving = False  # inside import_parts: a stand-in asked for a name imports just its submodule


def import_parts(packages: Sequence[str] = LIGHT_PACKAGES, needed: Mapping[str, Sequence[str]] = NEEDED) -> bool:
    """Import `needed` without running the `packages`' `__init__`; True if that was done.

    Does nothing (False) if the top package is already imported; on any failure, imports the
    packages the ordinary way and returns False.
    """
    top = packages[0]
    if top in sys.modules:
        return False
    global _resolving
    before = set(sys.modules)
    _resolving = True
    try:
        for name in packages:
            _install(name)
        for name, attrs in needed.items():
            module = sys.modules[name]
            for attr in attrs:
                _resolve(module, attr)
        for name in _entry_point_modules("presidio-analyzer", top):
            importlib.import_module(name)
    except Exception:  # fall back to the whole library, imported as Presidio intends
        for name in set(sys.modules) - before:
            if name == top or name.startswith(top + "."):
                del sys.modules[name]
        _resolving = False  # before the ordinary import below (the finally comes after it)
        for name in needed:
            importlib.import_module(name)
        return False
    finally:
        _resolving = False
    if _CompleteFirst not in sys.meta_path:
        sys.meta_path.insert(0, _CompleteFirst)
    return True


class _CompleteFirst:
    """Import hook: `import presidio_analyzer.x` from elsewhere runs the stand-ins' `__init__`s first.

    An ordinary import of a submodule runs its packages' `__init__`s before it; a submodule
    imported first, under a stand-in, could meet its own package's `__init__` half-way (a
    circular import that Presidio's order avoids). So before such an import the stand-ins above
    it are completed; if that imported the submodule, the import is handed that module.
    """

    @staticmethod
    def find_spec(name: str, path: Any = None, target: Any = None) -> Any:
        if _resolving:
            return None
        parent = sys.modules.get(name.rpartition(".")[0])
        if parent is None or _STANDIN not in vars(parent):
            return None
        _complete(parent)
        module = sys.modules.pop(name, None)
        if module is None or module.__spec__ is None:  # not imported by the __init__s: an ordinary import
            return None
        return importlib.util.spec_from_loader(name, _Existing(module), origin=module.__spec__.origin,
                                               is_package=module.__spec__.submodule_search_locations is not None)


class _Existing(importlib.abc.Loader):
    """Loader that hands the import system a module already imported, unchanged."""

    def __init__(self, module: types.ModuleType):
        self.module = module
        self.spec = module.__spec__
        self.loader = getattr(module, "__loader__", None)

    def create_module(self, spec: Any) -> types.ModuleType:
        return self.module

    def exec_module(self, module: types.ModuleType) -> None:
        module.__spec__ = self.spec  # the import system set ours
        module.__loader__ = self.loader


def _entry_point_modules(distribution: str, top: str) -> list[str]:
    """Modules of `top` that other libraries import through `distribution`'s entry points.

    spaCy loads every `spacy_factories` entry point when it builds a pipeline, and Presidio
    registers one (its Hugging Face token pipe). Imported later, below a stand-in, it would
    complete the stand-ins (the whole library) on every model load; imported here, the names it
    takes from them resolve like ours.
    """
    from importlib.metadata import distribution as find

    return sorted({ep.module for ep in find(distribution).entry_points if ep.module.startswith(top + ".")})


def _install(name: str) -> None:
    spec = importlib.util.find_spec(name)  # a dotted name finds its parent, a stand-in, in sys.modules
    if spec is None or spec.origin is None or spec.submodule_search_locations is None:
        raise ImportError(f"{name} is not a package")
    module = importlib.util.module_from_spec(spec)
    with open(spec.origin, encoding="utf-8") as handle:
        source = handle.read()
    setattr(module, _STANDIN, (_exports(name, source), source))
    module.__getattr__ = _missing(module)  # type: ignore[method-assign]
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)


def _exports(package: str, source: str) -> dict[str, tuple[str, str]]:
    """name -> (module, attribute) for each top-level `from X import name` of an `__init__`."""
    found: dict[str, tuple[str, str]] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            origin = f"{base}.{node.module}" if node.module else base
        else:
            origin = node.module or ""
        for alias in node.names:
            found[alias.asname or alias.name] = (origin, alias.name)
    return found


def _resolve(module: types.ModuleType, attr: str) -> Any:
    """Import one name of a stand-in from the submodule its `__init__` takes it from."""
    exports, _ = getattr(module, _STANDIN)
    if attr not in exports:
        raise ImportError(f"{module.__name__}.__init__ does not import {attr}")
    origin, name = exports[attr]
    if origin == module.__name__:  # `from . import submodule`
        value = importlib.import_module(f"{origin}.{name}")
    else:
        value = getattr(importlib.import_module(origin), name)
    setattr(module, attr, value)
    return value


def _missing(module: types.ModuleType) -> Any:
    def __getattr__(attr: str) -> Any:  # noqa: N807  (PEP 562)
        if (attr.startswith("__") and attr != "__all__") or _STANDIN not in module.__dict__:
            raise AttributeError(f"module {module.__name__!r} has no attribute {attr!r}")
        if _resolving:  # a submodule of ours importing a sibling name: just that submodule
            try:
                return _resolve(module, attr)
            except ImportError as exc:
                raise AttributeError(str(exc)) from exc
        _complete(module)
        return getattr(module, attr)

    return __getattr__


def _complete(module: types.ModuleType) -> None:
    """Run a stand-in's real `__init__` in its own namespace (parents first): it becomes the package."""
    if _STANDIN not in module.__dict__:  # already complete, or being completed
        return
    parent = module.__name__.rpartition(".")[0]
    if parent in sys.modules:  # as an ordinary import would: the parent's __init__ first
        _complete(sys.modules[parent])
    state = module.__dict__.pop(_STANDIN, None)
    if state is None:  # the parent's __init__ completed this one on its way
        return
    module.__dict__.pop("__getattr__", None)
    _, source = state
    assert module.__spec__ is not None and module.__spec__.origin is not None
    exec(compile(source, module.__spec__.origin, "exec"), module.__dict__)  # noqa: S102  (the package's own __init__)
