"""The access log in admin: a mixin that records staff access to health data, and the read-only log.

AccessLoggedAdmin goes in front of a ModelAdmin whose records hold health data. It records, per
request of a staff member:

- Listed: a list page that shows records (one entry with the ids on that page, since the list
  shows names and contact details), and every search or filter, even one that found nothing (a
  search for a name is a question about a person; the words searched for are never recorded);
- Opened: a record's page, editable or view-only (also when a save fails and the form comes back);
- Changed: a save, in the save's own transaction, naming the fields changed; and every bulk
  action but export and delete, in the action's transaction, naming the action;
- Exported: an action marked `@logged_as(Action.EXPORTED)`, with every id exported;
- Opened history: the history list and a past version (both show what the record said);
- Deleted: a delete from its page or the bulk action, in the delete's transaction.

A page is recorded after the view has built it and before it leaves the server: if the entry
cannot be written, the error replaces the page (see accesslog.services).
"""

import functools
from dataclasses import replace

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.db import router, transaction

from staff.history import clinic_datetime

from .models import AccessEntry, Action
from .services import record


def logged_as(action: str):
    """Mark an admin action with the access it gives, e.g. @logged_as(Action.EXPORTED) for a download."""

    def mark(func):
        func.access_action = action
        return func

    return mark


class AccessLoggedAdmin:
    """ModelAdmin mixin: record every list, view, change, export, history view and delete.

    Set `access_label_field` to a field that names a record without saying anything about the person
    (a reference); leave it None to record ids only.
    """

    access_label_field: str | None = None

    def record_access(self, request, action: str, objects, *, detail: str = ""):
        objects = list(objects)
        labels = [getattr(obj, self.access_label_field) for obj in objects] if self.access_label_field else ()
        return record(request, action, self.model, [obj.pk for obj in objects], labels, detail=detail)

    def record_access_to_queryset(self, request, action: str, queryset, *, detail: str = ""):
        ids, labels = self._ids_and_labels(queryset)
        return record(request, action, self.model, ids, labels, detail=detail)

    def record_access_by_id(self, request, action: str, object_id: str, *, detail: str = ""):
        """For pages that name the record only in their URL (a deleted record's history, too)."""
        pk = self.model._meta.pk.to_python(unquote(object_id))
        ids, labels = self._ids_and_labels(self.model._default_manager.filter(pk=pk))
        return record(request, action, self.model, ids or [pk], labels, detail=detail)

    def _ids_and_labels(self, queryset) -> tuple[list, list]:
        if not self.access_label_field:
            return list(queryset.order_by("pk").values_list("pk", flat=True)), []
        rows = list(queryset.order_by("pk").values_list("pk", self.access_label_field))
        return [pk for pk, _ in rows], [label for _, label in rows]

    # Pages that show records.

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None and response.status_code == 200:
            shown = list(changelist.result_list)  # fetched once: the template then reuses these rows
            searched = bool(changelist.query) or changelist.has_active_filters
            if shown or searched:
                self.record_access(request, Action.LISTED, shown, detail="searched or filtered" if searched else "")
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", None) or {}).get("original")
        if original is not None and response.status_code == 200:
            self.record_access(request, Action.VIEWED, [original])
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200:
            self.record_access_by_id(request, Action.HISTORY_VIEWED, object_id)
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """django-simple-history's page of one past version, which can also revert to it."""
        with transaction.atomic(using=router.db_for_write(self.model)):  # a revert saves with its entry
            response = super().history_form_view(request, object_id, version_id, extra_context)
        if response.status_code == 200:
            self.record_access_by_id(request, Action.HISTORY_VIEWED, object_id, detail=f"version {version_id}")
        return response

    # Changes: each entry in the change's own transaction.

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)  # inside the admin's transaction
        self.record_access(request, Action.CHANGED, [obj], detail=", ".join(form.changed_data))

    def delete_model(self, request, obj):
        self.record_access(request, Action.DELETED, [obj])  # the delete view runs in a transaction
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(self.model)):
            self.record_access_to_queryset(request, Action.DELETED, queryset, detail="delete_selected")
            super().delete_queryset(request, queryset)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        """Every action is recorded with the ids it ran on (delete through delete_queryset)."""
        actions = super().get_actions(request, action_location=action_location)
        return {
            name: action if action.func is delete_selected else replace(action, func=_logged(action.func, name))
            for name, action in actions.items()
        }


def _logged(func, name: str):
    @functools.wraps(func)
    def run(modeladmin, request, queryset):
        with transaction.atomic(using=router.db_for_write(modeladmin.model)):
            access = getattr(func, "access_action", Action.CHANGED)
            modeladmin.record_access_to_queryset(request, access, queryset, detail=name)
            return func(modeladmin, request, queryset)

    return run


def superuser_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


@admin.register(AccessEntry)
class AccessEntryAdmin(admin.ModelAdmin):
    """Read-only, and only for superusers: nobody can add, change or delete an entry here."""

    actions = None
    date_hierarchy = "at"
    list_display = ["when", "username", "what", "records_short", "ip"]
    list_display_links = ["when"]
    list_filter = ["action", ("username", admin.AllValuesFieldListFilter), ("at", admin.DateFieldListFilter)]
    search_fields = ["labels", "username"]
    search_help_text = "A reference (KC-7Q4M or just 7Q4M) or a username."
    fields = ["when", "username", "what", "kind", "records_all", "ip"]
    readonly_fields = fields
    empty_value_display = "—"

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description="When (clinic time)", ordering="at")
    def when(self, entry):
        return clinic_datetime(entry.at, "F j, Y, g:i:s a T")  # to the second, with the zone: an audit record

    @admin.display(description="Action", ordering="action")
    def what(self, entry):
        label = entry.get_action_display()
        return f"{label}: {entry.detail}" if entry.detail else label

    @admin.display(description="Records")
    def records_short(self, entry):
        return entry.records_text(limit=4)

    @admin.display(description="Records")
    def records_all(self, entry):
        return entry.records_text()

    @admin.display(description="Kind of record")
    def kind(self, entry):
        try:
            return apps.get_model(entry.model)._meta.verbose_name
        except (LookupError, ValueError):
            return entry.model

    def has_module_permission(self, request):
        return superuser_only(request)

    def has_view_permission(self, request, obj=None):
        return superuser_only(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
