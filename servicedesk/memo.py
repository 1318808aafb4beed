"""What one request reads once: the rule parameters in force on a date (servicedesk.params.read_many) and each
person's roles (Staff.roles, by user). The middleware opens both memos for the request and closes them with the
response, so nothing is kept between requests: a parameter scheduled or a role granted by one request is read by
the next, and within the request a write empties the memo (params.forget_read_values, `forget_roles`)."""
from contextlib import contextmanager
from contextvars import ContextVar

_roles: ContextVar[dict | None] = ContextVar("servicedesk_roles_memo", default=None)


@contextmanager
def roles_read_once():
    if _roles.get() is not None:
        yield
        return
    token = _roles.set({})
    try:
        yield
    finally:
        _roles.reset(token)


def roles_of(user_id, compute) -> list[str]:
    """`compute()` once per user and request: a permission check, a service's check of its caller and a check of
    the technician it names each load their own Staff row, and each used to read the groups again."""
    memo = _roles.get()
    if memo is None or user_id is None:
        return compute()
    if user_id not in memo:
        memo[user_id] = compute()
    return memo[user_id]


def forget_roles(*args, **kwargs) -> None:
    """m2m_changed of User.groups (servicedesk/apps.py): a role granted or taken is read afresh."""
    memo = _roles.get()
    if memo is not None:
        memo.clear()


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from . import params

        with params.read_many(), roles_read_once():
            return self.get_response(request)
