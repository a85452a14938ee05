from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the user chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language; staff on phones set to
    English still expect the department's Chinese forms, so only the explicit choice counts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class NoStoreMiddleware:
    """Pages, API answers and files are kept by no cache, shared or the browser's own: nearly
    every one shows someone's personal data (a name, a phone, a check-in), and a phone shared in
    a family must not give them back from its cache. Static files, served before this, are
    cached as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a body larger than MAX_REQUEST_BYTES from its Content-Length, before reading it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            limit = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            message = _("提交的内容过大（上限 %(limit)s MB），请压缩或分次上传。") % {
                "limit": limit
            }
            if request.path.startswith("/api/"):
                detail = [{"loc": ["body"], "msg": message, "type": "too_large"}]
                return JsonResponse({"detail": detail}, status=413)
            return render(request, "413.html", {"message": message}, status=413)
        return self.get_response(request)
