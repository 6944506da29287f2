from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialguard.identity import services as identity_services
from socialguard.identity.access import current_user, requires
from socialguard.identity.models import User
from socialguard.identity.permissions import can
from socialguard.identity.roles import Role
from socialguard.people import selectors, services
from socialguard.people.forms import (
    ImportForm,
    OrganisationForm,
    PersonForm,
    RolesForm,
    SignInCreateForm,
)
from socialguard.people.models import Department, EmploymentType, Guardian, ImportRun, Learner, StaffMember
from socialguard.people.records import SPECS
from socialguard.people.search import name_search
from socialguard.people.services import ImportFailed

PAGE_SIZE = 50
TITLES = {"staff": "Staff", "learners": "Learners", "guardians": "Parents and guardians"}


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@requires("staff.view")
def staff_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    staff = selectors.staff_list(
        q=g.get("q", ""),
        employment_type=g.get("type", ""),
        department=g.get("department", ""),
        status=g.get("status", ""),
    )
    page = _page(request, staff)
    total = page.paginator.count
    # With leavers listed too, say how many are in post: the coverage pages count only those.
    in_post = selectors.in_post(staff).count() if not g.get("status") else None
    return render(
        request,
        "people/staff_list.html",
        {
            "page": page,
            "total": total,
            "in_post": in_post,
            "have_left": total - in_post if in_post is not None else 0,
            "q": g.get("q", ""),
            "employment_types": EmploymentType.choices,
            "departments": Department.objects.all(),
            "chosen": g,
            "can_manage": can(request.user, "staff.manage"),
            "can_export": can(request.user, "people.export"),
        },
    )


@requires("staff.view")
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(
        StaffMember.objects.select_related("department", "line_manager", "user"), pk=pk
    )
    return render(
        request,
        "people/staff_detail.html",
        {
            "member": member,
            "reports": member.reports.all(),
            "can_manage": can(request.user, "staff.manage"),
        },
    )


@requires("learners.view")
def learner_list(request: HttpRequest) -> HttpResponse:
    learners = selectors.learner_list(q=request.GET.get("q", ""), status=request.GET.get("status", ""))
    return render(
        request,
        "people/learner_list.html",
        {
            "page": (page := _page(request, learners)),
            "total": page.paginator.count,
            "q": request.GET.get("q", ""),
            "chosen": request.GET,
            "can_manage": can(request.user, "learners.manage"),
            "can_export": can(request.user, "people.export"),
        },
    )


@requires("learners.view")
def learner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    learner = get_object_or_404(Learner, pk=pk)
    return render(
        request,
        "people/learner_detail.html",
        {
            "learner": learner,
            "guardians": learner.guardians.all(),
            "can_manage": can(request.user, "learners.manage"),
        },
    )


@requires("learners.view")
def guardian_list(request: HttpRequest) -> HttpResponse:
    guardians = selectors.guardian_list(q=request.GET.get("q", ""))
    return render(
        request,
        "people/guardian_list.html",
        {
            "page": (page := _page(request, guardians)),
            "total": page.paginator.count,
            "q": request.GET.get("q", ""),
            "can_manage": can(request.user, "learners.manage"),
            "can_export": can(request.user, "people.export"),
        },
    )


@requires("learners.view")
def guardian_detail(request: HttpRequest, pk: int) -> HttpResponse:
    guardian = get_object_or_404(Guardian, pk=pk)
    return render(
        request,
        "people/guardian_detail.html",
        {
            "guardian": guardian,
            "can_manage": can(request.user, "learners.manage"),
        },
    )


def _edit(request: HttpRequest, kind: str, obj: Any = None) -> HttpResponse:
    form = PersonForm(kind, request.POST or None, initial=services.person_row(kind, obj) if obj else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.person_save(
                actor=current_user(request), kind=kind, raw=form.cleaned_data, instance=obj
            )
        except ImportFailed as failed:
            for error in failed.errors:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"Saved {saved.full_name}.")
            return redirect(f"people:{kind}_detail", pk=saved.pk)
    title = f"Edit {obj.full_name}" if obj else f"Add to {TITLES[kind].lower()}"
    return render(request, "people/person_form.html", {"form": form, "title": title, "kind": kind})


@requires("staff.manage")
def staff_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, "staff")


@requires("staff.manage")
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, "staff", get_object_or_404(StaffMember, pk=pk))


@requires("learners.manage")
def learners_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, "learners")


@requires("learners.manage")
def learners_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, "learners", get_object_or_404(Learner, pk=pk))


@requires("learners.manage")
def guardians_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, "guardians")


@requires("learners.manage")
def guardians_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, "guardians", get_object_or_404(Guardian, pk=pk))


@requires("people.import")
def import_people(request: HttpRequest) -> HttpResponse:
    """Upload a file; the worker imports it and the next page follows its progress."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = services.import_request(
            actor=current_user(request),
            kind=form.cleaned_data["kind"],
            data=upload.read(),
            filename=upload.name,
        )
        return redirect("people:import_run", pk=run.pk)
    return render(request, "people/import.html", {"form": form, "specs": SPECS})


@requires("people.import")
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun.objects.defer("data"), pk=pk)
    template = "people/_import_run.html" if request.headers.get("HX-Request") else "people/import_run.html"
    return render(request, template, {"run": run, "list_url": _list_url(run.kind)})


def _list_url(kind: str) -> str:
    return reverse(f"people:{'staff_list' if kind == 'staff' else kind[:-1] + '_list'}")


def _export(kind: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        services.people_export_pieces(kind), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}.csv"'
    return response


@requires("people.export")
def export_staff(request: HttpRequest) -> StreamingHttpResponse:
    return _export("staff")


@requires("people.export")
def export_learners(request: HttpRequest) -> StreamingHttpResponse:
    return _export("learners")


@requires("people.export")
def export_guardians(request: HttpRequest) -> StreamingHttpResponse:
    return _export("guardians")


@requires("organisation.view")
def organisation(request: HttpRequest) -> HttpResponse:
    org = selectors.organisation_get()
    form = None
    if can(request.user, "organisation.manage"):
        form = OrganisationForm(
            initial={
                "name": org.name,
                "aliases": org.aliases,
                "handles": org.handles,
                "email_domains": org.email_domains,
            }
        )
    return render(
        request,
        "people/organisation.html",
        {
            "org": org,
            "form": form,
            "departments": Department.objects.all(),
        },
    )


@requires("organisation.manage")
@require_POST
def organisation_edit(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST)
    org = selectors.organisation_get()
    if form.is_valid():
        services.organisation_update(actor=current_user(request), organisation=org, values=form.cleaned_data)
        messages.success(request, "Organisation details saved.")
        return redirect("people:organisation")
    return render(request, "people/organisation.html", {"org": org, "form": form}, status=400)


@requires("users.manage")
def sign_ins(request: HttpRequest) -> HttpResponse:
    form = SignInCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = identity_services.user_create(
                actor=current_user(request),
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=None,
                roles=[Role(r) for r in form.cleaned_data["roles"]],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            links = services.sign_ins_link(actor=current_user(request), emails=[user.email])
            linked = "".join(
                f" Linked to staff record {m.external_id} ({m.full_name})." for m in links.linked
            )
            messages.success(
                request,
                f"Sign-in created for {user.email}.{linked} They set a password with 'Forgotten password'.",
            )
            for member, why in links.declined:
                messages.warning(
                    request, f"Not linked to staff record {member.external_id} with the same email: {why}."
                )
            return redirect("people:sign_ins")
    q = request.GET.get("q", "")
    # A page at a time, found by name or email: a large group has a sign-in per member of staff.
    users = name_search(User.objects.prefetch_related("role_assignments"), q, ("full_name", "email"), ())
    page = _page(request, users)
    return render(
        request, "people/sign_ins.html", {"page": page, "q": q, "chosen": request.GET, "form": form}
    )


@requires("users.manage")
def sign_in_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    if user == request.user and request.method == "POST":
        raise Http404  # nobody changes their own roles: another SMT member must
    form = RolesForm(
        request.POST or None, initial={"roles": [str(r) for r in user.roles], "active": user.is_active}
    )
    if request.method == "POST" and form.is_valid():
        revoked = identity_services.user_set_roles(
            actor=current_user(request), user=user, roles=[Role(r) for r in form.cleaned_data["roles"]]
        )
        revoked += identity_services.user_set_active(
            actor=current_user(request), user=user, active=form.cleaned_data["active"]
        )
        tokens = (
            f" Their {revoked} API token{'s were' if revoked != 1 else ' was'} revoked; they make new "
            "ones once signed in."
            if revoked
            else ""
        )
        messages.success(request, f"Saved roles for {user}.{tokens}")
        return redirect("people:sign_ins")
    return render(request, "people/sign_in_edit.html", {"subject": user, "form": form})


@requires("users.manage")
@require_POST
def sign_in_reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    try:
        removed = identity_services.totp_reset(actor=current_user(request), user=user)
    except PermissionDenied as exc:
        messages.error(request, f"Not reset: {str(exc).rstrip('.')}.")
    else:
        if removed:
            messages.success(
                request,
                f"{user}'s authenticator was removed; they set up a new one at their next sign-in. "
                "They have been emailed about it.",
            )
        else:
            messages.info(request, f"{user} has no authenticator to remove.")
    return redirect("people:sign_in_edit", pk=pk)
