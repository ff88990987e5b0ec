"""What gunicorn serves in the consultations benchmark (bench/consultations.py): the Youth Portal app, configured
from the environment as in production, and beside it, at /bench-hello/, a bare Flask "hello" app that measures
the ceiling of this machine, server and worker settings, and at /bench-floor/ the floor of a submission (floor.py):
one row written and committed. Both are benchmark-only: never in the product.
"""

from flask import Flask
from floor import floor_app
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from youth_portal import create_app
from youth_portal.extensions import db

hello = Flask("hello")


@hello.get("/")
def say_hello():
    """The least a Flask view can do."""
    return "hello"


portal = create_app()
with portal.app_context():
    floor = floor_app(db.engine)
application = DispatcherMiddleware(portal.wsgi_app, {"/bench-hello": hello, "/bench-floor": floor})
