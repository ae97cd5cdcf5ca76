from django.shortcuts import render

from apex.http import HtmxHttpRequest


def home(request: HtmxHttpRequest):
    return render(request, "home.html")
