import datetime as dt
from typing import Annotated, Any, Literal

import pydantic
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from socialguard.api.auth import requires
from socialguard.api.contract import In, ObjectId, Paging, Text
from socialguard.api.lazy import Mapped
from socialguard.api.problems import Problem
from socialguard.people import access, selectors, services
from socialguard.people.models import EmploymentType
from socialguard.people.records import KINDS, SPECS, Column, parse_date

router = Router(tags=["people"])

VIEW_ACTION = {"staff": "staff.view", "learners": "learners.view", "guardians": "learners.view"}
MANAGE_ACTION = {"staff": "staff.manage", "learners": "learners.manage", "guardians": "learners.manage"}
LISTS = {
    "staff": lambda q, status: selectors.staff_list(q=q, status=status or ""),
    "learners": lambda q, status: selectors.learner_list(q=q, status=status or ""),
    "guardians": lambda q, status: selectors.guardian_list(q=q),
}
# The list filters each kind understands (the selectors ignore anything else).
STATUS_FILTER: dict[str, Any] = {
    "staff": Literal["current", "left"],
    "learners": Literal["current", "past", "under18"],
}
Kind = Literal["staff", "learners", "guardians"]


# pydantic types create_model by overloads that dynamic field dicts cannot satisfy.
create_model: Any = pydantic.create_model


def _in_type(column: Column) -> Any:
    """The API type of a column: what the CSV importer parses from text, typed here so the
    document says it (dates as dates, employment type as an enum of codes)."""
    if column.name == "employment_type":
        return EmploymentType
    if column.parse is parse_date:
        return dt.date | None  # null clears an optional date
    if column.required:
        return Annotated[Text, Field(min_length=1)]
    return Text


def _patch_not_empty(model: Any) -> Any:
    if not model.model_fields_set:
        raise ValueError(f"send at least one field to change: {', '.join(type(model).model_fields)}")
    return model


def _schemas(kind: str) -> tuple[type[Schema], type[Schema], type[Schema]]:
    title = kind.capitalize()
    out: Any = create_model(
        f"{title}Out", __base__=Schema, id=(int, ...), **{c.name: (str, "") for c in SPECS[kind]}
    )
    new: Any = create_model(
        f"{title}In",
        __base__=In,
        **{c.name: (_in_type(c), ...) if c.required else (_in_type(c), None) for c in SPECS[kind]},
    )
    patch: Any = create_model(
        f"{title}Patch",
        __base__=In,
        __validators__={"not_empty": pydantic.model_validator(mode="after")(_patch_not_empty)},
        **{c.name: (_in_type(c), None) for c in SPECS[kind]},
    )
    return out, new, patch


class ImportResultOut(Schema):
    kind: Kind
    file: str
    created: list[str]
    updated: list[str]
    unchanged: int


def _fields(payload: Any, **options: Any) -> dict[str, Any]:
    fields: dict[str, Any] = payload.model_dump(mode="json", **options)
    return fields


def _row(kind: str, obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, **services.person_row(kind, obj)}


def _register(kind: str) -> None:
    out, new, patch = _schemas(kind)
    model = services.MODELS[kind]
    list_route = router.get(
        f"/{kind}",
        response=list[out],  # type: ignore[valid-type]
        operation_id=f"list_{kind}",
        auth=requires(VIEW_ACTION[kind]),
    )
    if kind in STATUS_FILTER:
        status_filter = STATUS_FILTER[kind]

        @list_route
        @paginate(Paging)
        def list_people(request: HttpRequest, q: Text = "", status: status_filter | None = None) -> Any:  # type: ignore[valid-type]
            return Mapped(LISTS[kind](q, status), lambda o: _row(kind, o))
    else:

        @list_route
        @paginate(Paging)
        def list_unfiltered(request: HttpRequest, q: Text = "") -> Any:
            return Mapped(LISTS[kind](q, None), lambda o: _row(kind, o))

    @router.get(
        f"/{kind}/{{person_id}}", response=out, operation_id=f"get_{kind}", auth=requires(VIEW_ACTION[kind])
    )
    def get_person(request: HttpRequest, person_id: ObjectId) -> Any:
        return _row(kind, get_object_or_404(model, pk=person_id))

    @router.post(
        f"/{kind}",
        response={201: out, 400: Problem},
        operation_id=f"create_{kind}",
        auth=requires(MANAGE_ACTION[kind]),
    )
    def create_person(request: HttpRequest, payload: new) -> Any:  # type: ignore[valid-type]
        obj = services.person_save(actor=request.user, kind=kind, raw=_fields(payload, exclude_none=True))
        return Status(201, _row(kind, obj))

    @router.patch(
        f"/{kind}/{{person_id}}",
        response={200: out, 400: Problem},
        operation_id=f"update_{kind}",
        auth=requires(MANAGE_ACTION[kind]),
    )
    def update_person(request: HttpRequest, person_id: ObjectId, payload: patch) -> Any:  # type: ignore[valid-type]
        obj = get_object_or_404(model, pk=person_id)
        obj = services.person_save(
            actor=request.user,
            kind=kind,
            raw=_fields(payload, exclude_unset=True),
            instance=obj,
        )
        return Status(200, _row(kind, obj))


class DirectoryOut(Schema):
    staff_id: str
    name: str
    department: str


@router.get(
    "/directory",
    response=list[DirectoryOut],
    operation_id="staff_directory",
    auth=requires(access.DIRECTORY_ACTION),
)
@paginate(Paging)
def staff_directory(request: HttpRequest, q: Text = "") -> Any:
    """Staff in post by name: the staff IDs that proposing an account takes (`runner_ids`,
    `lead_id`), with each person's department and nothing more. `q` matches names or an ID."""
    return Mapped(access.directory(request.user, q), lambda m: vars(access.directory_entry(m)))


for _kind in KINDS:
    _register(_kind)


@router.post(
    "/import/{kind}",
    response={200: ImportResultOut, 400: Problem},
    operation_id="import_people",
    auth=requires("people.import"),
)
def import_people(request: HttpRequest, kind: Kind, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    result = services.people_import(
        actor=request.user, kind=kind, data=file.read(), filename=file.name or "upload.csv"
    )
    return Status(
        200,
        {
            "kind": result.kind,
            "file": result.file,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
