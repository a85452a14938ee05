from django.contrib.auth.signals import user_logged_in

from .middleware import stamp_login_time

user_logged_in.connect(stamp_login_time, dispatch_uid="qunce_stamp_login_time")
