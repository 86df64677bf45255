"""The registry: codecs and normalizers from every installed plugin, each checked.

Plugins are found through the ``aura`` entry-point group with pluggy; aura-core's own
built-ins come through the same group.  Each entry point is loaded and called on its
own, so one broken plugin is reported with its distribution and version and never
takes the host down (``strict=True`` raises :class:`PluginError` instead).
"""

from __future__ import annotations

import threading
import traceback

from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy
from attrs import define, field
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from aura_core import hookspecs, markers
from aura_core.codec import Codec
from aura_core.errors import PluginError, UnknownMarkerError
from aura_core.normalizer import Normalizer

CORE_DISTRIBUTION = "aura-core"


@define
class PluginReport:
    """What one plugin provided, and what went wrong with it."""

    name: str
    distribution: str | None = None
    version: str | None = None
    hooks: list[str] = field(factory=list)
    codecs: list[Codec] = field(factory=list)
    normalizers: list[Normalizer] = field(factory=list)
    problems: list[str] = field(factory=list)
    #: "ok", "failed" (did not load), or "partial" (loaded; some items were refused).
    status: str = "ok"

    @property
    def source(self) -> str:
        """Who provided the plugin, for messages: its distribution and version, else its name."""
        if self.distribution is None:
            return self.name
        return f"{self.distribution} {self.version}" if self.version else self.distribution

    def refuse(self, problem: str, failed: bool = False) -> None:
        self.problems.append(problem)
        self.status = "failed" if failed or self.status == "failed" else "partial"


def _core_version() -> str:
    from aura_core import __version__

    return __version__


def _supports_core(requirement: str) -> bool:
    if not requirement:
        return True
    return SpecifierSet(requirement).contains(_core_version(), prereleases=True)


class Registry:
    """Codecs by marker and name, normalizers by name, and a report per plugin."""

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self.plugin_manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.plugin_manager.add_hookspecs(hookspecs)
        self.plugins: list[PluginReport] = []
        self._by_marker: dict[int, tuple[Codec, PluginReport]] = {}
        self._by_name: dict[str, Codec] = {}
        self._normalizers: dict[str, tuple[Normalizer, PluginReport]] = {}
        self._in_code = PluginReport(name="registered in code")

    @classmethod
    def from_entry_points(cls, strict: bool = False) -> Registry:
        registry = cls(strict=strict)
        registry.load_entry_points()
        return registry

    # -- loading -------------------------------------------------------------------

    def load_entry_points(self, group: str = hookspecs.PROJECT_NAME) -> None:
        """Load every entry point of ``group``: aura-core's first, the rest by name."""

        def order(ep: EntryPoint) -> tuple[bool, str]:
            dist = ep.dist.name if ep.dist else ""
            return (dist != CORE_DISTRIBUTION, ep.name)

        for ep in sorted(entry_points(group=group), key=order):
            report = PluginReport(
                name=ep.name,
                distribution=ep.dist.name if ep.dist else None,
                version=ep.dist.version if ep.dist else None,
            )
            self.plugins.append(report)
            try:
                plugin = ep.load()
                self.plugin_manager.register(plugin, name=ep.name)
            except Exception as exc:  # a plugin's import error must not take the host down
                where = f"{report.distribution} {report.version}" if report.distribution else ep.value
                report.refuse(f"failed to load ({where}): {type(exc).__name__}: {exc}", failed=True)
                self._complain(report)
                continue
            self._collect(plugin, report)

    def register_plugin(self, plugin: object, name: str | None = None) -> PluginReport:
        """Register a plugin module or object with hook implementations, without entry points."""
        report = PluginReport(name=name or str(getattr(plugin, "__name__", None) or repr(plugin)))
        self.plugins.append(report)
        self.plugin_manager.register(plugin, name=report.name)
        self._collect(plugin, report)
        return report

    def _collect(self, plugin: object, report: PluginReport) -> None:
        # pluggy accepts implementations of hooks nobody specified; a typo would go unnoticed.
        for caller in self.plugin_manager.get_hookcallers(plugin) or ():
            if caller.spec is None:
                report.refuse(f"{caller.name} is not an AURA hook (see aura_core.hookspecs); it was never called")
                self._complain(report)
        self.call_hook(plugin, "aura_register_normalizers", report, register=lambda n: self.register(n, report))
        self.call_hook(plugin, "aura_register_codecs", report, register=lambda c: self.register(c, report))
        report.hooks = [impl.function.__name__ for impl in self._impls_of(plugin)]

    def _impls_of(self, plugin: object) -> list[pluggy.HookImpl]:
        return [
            impl
            for caller in (getattr(self.plugin_manager.hook, name) for name in self.hook_names)
            for impl in caller.get_hookimpls()
            if impl.plugin is plugin
        ]

    @property
    def hook_names(self) -> list[str]:
        return [name for name in dir(hookspecs) if name.startswith("aura_")]

    def call_hook(self, plugin: object, hook: str, report: PluginReport, **kwargs: Any) -> None:
        """Call one plugin's implementation of ``hook``; record (not raise) its failure."""
        for impl in getattr(self.plugin_manager.hook, hook).get_hookimpls():
            if impl.plugin is not plugin:
                continue
            try:
                impl.function(*[kwargs[arg] for arg in impl.argnames])
            except PluginError:
                raise
            except Exception as exc:
                where = traceback.extract_tb(exc.__traceback__)[-1]
                report.refuse(
                    f"{hook} raised {type(exc).__name__}: {exc} (at {where.filename}:{where.lineno})", failed=True
                )
                self._complain(report)

    def call_all(self, hook: str, **kwargs: Any) -> None:
        """Call ``hook`` on every plugin, each isolated (used for CLI verbs)."""
        for report in self.plugins:
            plugin = self.plugin_manager.get_plugin(report.name)
            if plugin is not None:
                self.call_hook(plugin, hook, report, **kwargs)

    # -- registering -----------------------------------------------------------------

    def register(self, item: Codec | Normalizer, report: PluginReport | None = None) -> bool:
        """Add a codec or normalizer; return False (and report why) if it is refused."""
        report = report or self._in_code
        if report is self._in_code and report not in self.plugins:
            self.plugins.append(report)
        problem = self._problem(item)
        if problem is not None:
            report.refuse(problem)
            self._complain(report)
            return False
        if isinstance(item, Codec):
            self._by_marker[item.marker] = (item, report)
            self._by_name[item.name] = item
            report.codecs.append(item)
        else:
            self._normalizers[item.name] = (item, report)
            report.normalizers.append(item)
        return True

    def _problem(self, item: Codec | Normalizer) -> str | None:
        kind = "codec" if isinstance(item, Codec) else "normalizer"
        if not isinstance(item, (Codec, Normalizer)):
            return f"{item!r} is neither a Codec nor a Normalizer"
        try:
            if not _supports_core(item.requires_core):
                return (
                    f"{kind} {item.name!r} requires aura-core {item.requires_core}, "
                    f"but aura-core {_core_version()} is installed"
                )
        except InvalidSpecifier:
            return f"{kind} {item.name!r} declares an invalid aura-core range {item.requires_core!r}"
        if isinstance(item, Codec):
            if not isinstance(item.marker, int) or not 0 <= item.marker < markers.EXTENDED:
                return f"codec {item.name!r} declares marker {item.marker!r}, outside 0x00-0xFE"
            held = self._by_marker.get(item.marker)
            if held is not None:
                owner, owner_report = held
                return (
                    f"codec {item.name!r} claims marker 0x{item.marker:02X}, already owned by "
                    f"{owner.name!r} ({owner_report.source})"
                )
            if item.name in self._by_name:
                return f"codec name {item.name!r} is already taken"
        else:
            if item.name in self._normalizers:
                return f"normalizer name {item.name!r} is already taken"
            if any(n.type_id == item.type_id for n, _ in self._normalizers.values()):
                return f"normalizer {item.name!r} claims slot type {item.type_id}, already taken"
        return None

    def _complain(self, report: PluginReport) -> None:
        if self.strict:
            raise PluginError(f"plugin {report.name!r} ({report.source}): {report.problems[-1]}")

    # -- lookup ----------------------------------------------------------------------

    @property
    def codecs(self) -> tuple[Codec, ...]:
        return tuple(self._by_marker[m][0] for m in sorted(self._by_marker))

    @property
    def normalizers(self) -> tuple[Normalizer, ...]:
        return tuple(n for n, _ in self._normalizers.values())

    def codec(self, name: str) -> Codec:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"no codec named {name!r}; installed: {', '.join(sorted(self._by_name))}") from None

    def codec_for_marker(self, marker: int) -> Codec:
        held = self._by_marker.get(marker)
        if held is None:
            entry = markers.lookup(marker)
            raise UnknownMarkerError(marker, entry.distribution if entry else None)
        return held[0]

    def distribution_of(self, codec: Codec) -> str | None:
        held = self._by_marker.get(codec.marker)
        return held[1].distribution if held else None

    @property
    def failures(self) -> list[PluginReport]:
        return [p for p in self.plugins if p.problems]


_default: Registry | None = None
_default_lock = threading.Lock()


def default_registry() -> Registry:
    """The process-wide registry of installed plugins, loaded once on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Registry.from_entry_points()
        return _default


def register(item: Codec | Normalizer) -> bool:
    """Register a codec or normalizer in the default registry (embedding without entry points)."""
    return default_registry().register(item)


