from qunce.org.access import access_for


def roles(request):
    return {"access": access_for(request.user)}
