"""What gunicorn serves in the consultations benchmark (bench/consultations.py): the Youth Portal app, configured
from the environment as in production, and beside it, at /bench-hello/, a bare Flask "hello" app that measures
the ceiling of this machine, server and worker settings. The hello app is benchmark-only: never in the product.
"""
from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from youth_portal import create_app

hello = Flask("hello")


@hello.get("/")
def say_hello():
    """The least a Flask view can do."""
    return "hello"


portal = create_app()
application = DispatcherMiddleware(portal.wsgi_app, {"/bench-hello": hello})
