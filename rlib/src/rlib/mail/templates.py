"""Mail templates: Jinja2, one folder per alias with ``subject.txt``, ``body.html``, ``body.txt``.

Indonesian is the default; an ``en/`` subfolder may hold the English variant of any of the three
files (a missing one falls back to Indonesian). HTML is autoescaped, text is not. Each alias has
a pydantic model, validated before anything is enqueued, and rendering uses ``StrictUndefined``,
so a template that names a field its model lacks fails in tests, not in someone's inbox.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pydantic

from rlib.errors import NotFoundError, ValidationError
from rlib.i18n import DEFAULT_LANG, Lang, field_error_from_pydantic

_PARTS = ("subject.txt", "body.html", "body.txt")
_SPACES = re.compile(r"\s+")


class UnknownTemplateError(NotFoundError):
    """404: no template with this alias."""

    key = "mail.template_not_found"
    code = "template_not_found"

    def __init__(self, alias: str) -> None:
        super().__init__("Template", alias=alias)


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered email: one-line subject, HTML and plain-text bodies."""

    subject: str
    html: str
    text: str


class TemplateSet:
    """The templates under ``roots`` (searched in order) and the context model of each alias.

    ``filters`` are added to Jinja2's (e.g. a currency format). Nothing is read from disk until
    the first render.
    """

    def __init__(
        self,
        roots: Path | Sequence[Path],
        models: Mapping[str, type[pydantic.BaseModel]],
        *,
        filters: Mapping[str, Callable[..., str]] | None = None,
    ) -> None:
        self.roots = [roots] if isinstance(roots, Path) else list(roots)
        self.models = dict(models)
        self.filters = dict(filters or {})
        self._env: jinja2.Environment | None = None

    @property
    def aliases(self) -> list[str]:
        """Every alias with a context model, sorted."""
        return sorted(self.models)

    @property
    def env(self) -> jinja2.Environment:
        """The Jinja2 environment (built on first use)."""
        if self._env is None:
            self._env = jinja2.Environment(
                loader=jinja2.FileSystemLoader([str(root) for root in self.roots]),
                autoescape=jinja2.select_autoescape(enabled_extensions=("html",)),
                undefined=jinja2.StrictUndefined,
                keep_trailing_newline=False,
            )
            self._env.filters.update(self.filters)
        return self._env

    def validate(
        self, alias: str, model: pydantic.BaseModel | Mapping[str, object]
    ) -> pydantic.BaseModel:
        """The context of ``alias`` as its model.

        Raises:
            UnknownTemplateError: no such alias.
            ValidationError: a field is missing or invalid (422, under ``template_model``).
        """
        model_class = self.models.get(alias)
        if model_class is None:
            raise UnknownTemplateError(alias)
        if isinstance(model, model_class):
            return model
        data = model.model_dump() if isinstance(model, pydantic.BaseModel) else dict(model)
        try:
            return model_class.model_validate(data)
        except pydantic.ValidationError as exc:
            raise ValidationError(
                [field_error_from_pydantic(d, ("template_model",)) for d in exc.errors()]
            ) from exc

    def render(self, alias: str, model: pydantic.BaseModel, lang: Lang = DEFAULT_LANG) -> Rendered:
        """Render the three parts of ``alias`` in ``lang`` (Indonesian where no variant exists)."""
        context = {**model.model_dump(), "lang": lang}
        subject, html, text = (self._part(alias, part, lang).render(context) for part in _PARTS)
        return Rendered(subject=_SPACES.sub(" ", subject).strip(), html=html, text=text.strip())

    def sample(self, alias: str) -> pydantic.BaseModel:
        """The alias's sample context from ``<alias>/sample.json`` (previews and tests).

        Raises:
            UnknownTemplateError: no such alias, or it has no sample.
        """
        if alias not in self.models:
            raise UnknownTemplateError(alias)
        for root in self.roots:
            path = root / alias / "sample.json"
            if path.is_file():
                return self.validate(alias, json.loads(path.read_text(encoding="utf-8")))
        raise UnknownTemplateError(alias)

    def preview(self, alias: str, lang: Lang = DEFAULT_LANG) -> Rendered:
        """Render ``alias`` with its sample context."""
        return self.render(alias, self.sample(alias), lang)

    def _part(self, alias: str, part: str, lang: Lang) -> jinja2.Template:
        names = [f"{alias}/{part}"]
        if lang != DEFAULT_LANG:
            names.insert(0, f"{alias}/{lang}/{part}")
        return self.env.select_template(names)
