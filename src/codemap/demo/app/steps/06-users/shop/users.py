"""Customer accounts, as the order pages show them."""

USERS = {
    1: {"email": "ada@example.org", "name": "Ada Lovelace", "tier": "gold"},
    2: {"email": "grace@example.org", "name": "Grace Hopper", "tier": "silver"},
    3: {"email": "orders@cafe-lumen.example", "name": "", "tier": "business"},
}


class UserNotFound(LookupError):
    """No user has this id."""


def find_user(user_id):
    try:
        return USERS[user_id]
    except KeyError:
        raise UserNotFound(f"no user {user_id}") from None


def display_name(user):
    """The name to show: the user's name, else the part of the email before the @."""
    return user["name"] or user["email"].split("@", 1)[0]
