"""A stand-in for the original Flask application (BookStore-monolith).

Its source is not in this repository, so this reproduces what the new server
must stay readable for during a rollback: the original's models exactly as
its `db.create_all()` made them (SPEC §1: six tables, every non-key column
nullable, FLOAT money), Werkzeug's password hashing (`generate_password_hash`
/ `check_password_hash` of Debian's python3-werkzeug), Flask-Login sessions,
the pages that read the shared rows: /register, /login ("Login failed"),
/book/catalog, /book/my_books, /purchases, and two that write rows of their
own after ours: /book/add_book and /buy/<id>. Rendering goes through the ORM
objects, as the original's Jinja templates did, so a row the original cannot
read (a NULL it formats, a status it cannot show, a hash it cannot check)
fails here as it would there.

Run: original_app.py DATABASE_URI PORT   (sqlite:///path or mysql+pymysql://...)
"""
import sys

from flask import Flask, redirect, render_template_string, request
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

db = SQLAlchemy()


class User(UserMixin, db.Model):
    __tablename__ = "user"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(150))
    email = db.Column(db.String(150), unique=True)
    password = db.Column(db.String(150))


class Book(db.Model):
    __tablename__ = "book"
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(150))
    author = db.Column(db.String(100))
    description = db.Column(db.Text)
    price = db.Column(db.Float)
    stock = db.Column(db.Integer)
    seller_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    seller = db.relationship("User")


class Purchase(db.Model):
    __tablename__ = "purchase"
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    book_id = db.Column(db.Integer, db.ForeignKey("book.id"))
    quantity = db.Column(db.Integer)
    total_price = db.Column(db.Float)
    status = db.Column(db.String(50))
    book = db.relationship("Book")


class Payment(db.Model):
    __tablename__ = "payment"
    id = db.Column(db.Integer, primary_key=True)
    purchase_id = db.Column(db.Integer, db.ForeignKey("purchase.id"))
    amount = db.Column(db.Float)
    payment_method = db.Column(db.String(50))
    payment_status = db.Column(db.String(50))


class DeliveryProvider(db.Model):
    __tablename__ = "delivery_provider"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100))
    coverage_area = db.Column(db.String(150))
    cost = db.Column(db.Float)


class DeliveryAssignment(db.Model):
    __tablename__ = "delivery_assignment"
    id = db.Column(db.Integer, primary_key=True)
    purchase_id = db.Column(db.Integer, db.ForeignKey("purchase.id"))
    provider_id = db.Column(db.Integer, db.ForeignKey("delivery_provider.id"))
    provider = db.relationship("DeliveryProvider")


# The statuses and methods the original's pages know how to show.
KNOWN_STATUSES = {"Pending Payment", "Paid", "Shipped"}
KNOWN_METHODS = {"Credit Card", "Paypal", "Bank Transfer"}

CATALOG = """<h1>Catalog</h1>{% for b in books %}
<div class="book" data-id="{{ b.id }}">{{ b.title }} by {{ b.author }} — ${{ "%.2f"|format(b.price) }}
 — stock {{ b.stock }} — seller {{ b.seller.name }}</div>{% endfor %}"""
MY_BOOKS = """<h1>My books</h1>{% for b in books %}
<div class="book" data-id="{{ b.id }}">{{ b.title }} ({{ b.stock }}) ${{ "%.2f"|format(b.price) }}</div>{% endfor %}"""
PURCHASES = """<h1>My purchases</h1>{% for p, pay, d in rows %}
<div class="purchase" data-id="{{ p.id }}">{{ p.book.title }} x{{ p.quantity }}
 ${{ "%.2f"|format(p.total_price) }} {{ p.status }}
 {% if pay %}{{ pay.payment_method }} {{ "%.2f"|format(pay.amount) }}{% endif %}
 {% if d %}{{ d.provider.name }}{% endif %}</div>{% endfor %}"""


def create_app(uri):
    app = Flask(__name__)
    app.config.update(SECRET_KEY="original-secret", SQLALCHEMY_DATABASE_URI=uri)
    db.init_app(app)
    login = LoginManager(app)
    login.login_view = "login_page"

    @login.user_loader
    def load_user(user_id):
        return db.session.get(User, int(user_id))

    @app.route("/register", methods=["POST"])
    def register():
        user = User(name=request.form["name"], email=request.form["email"],
                    password=generate_password_hash(request.form["password"]))
        db.session.add(user)
        db.session.commit()
        return redirect("/login")

    @app.route("/login", methods=["GET", "POST"], endpoint="login_page")
    def login_page():
        if request.method == "POST":
            user = User.query.filter_by(email=request.form["email"]).first()
            if user and check_password_hash(user.password, request.form["password"]):
                login_user(user)
                return redirect("/book/catalog")
            return "Login failed", 200
        return "login form"

    # The original's own writes: after our migrations its inserts must still
    # work (every column we added is nullable or has a default).
    @app.route("/book/add_book", methods=["POST"])
    @login_required
    def add_book():
        db.session.add(Book(title=request.form["title"], author=request.form["author"],
                            description=request.form["description"],
                            price=float(request.form["price"]), stock=int(request.form["stock"]),
                            seller_id=current_user.id))
        db.session.commit()
        return redirect("/book/catalog")

    @app.route("/buy/<int:book_id>", methods=["POST"])
    @login_required
    def buy(book_id):
        book = db.session.get(Book, book_id)
        quantity = int(request.form["quantity"])
        purchase = Purchase(user_id=current_user.id, book_id=book.id, quantity=quantity,
                            total_price=book.price * quantity, status="Pending Payment")
        book.stock -= quantity
        db.session.add(purchase)
        db.session.commit()
        return redirect(f"/payment/{purchase.id}")

    @app.route("/book/catalog")
    def catalog():
        return render_template_string(CATALOG, books=Book.query.all())

    @app.route("/book/my_books")
    @login_required
    def my_books():
        return render_template_string(MY_BOOKS,
                                      books=Book.query.filter_by(seller_id=current_user.id).all())

    @app.route("/purchases")
    @login_required
    def purchases():
        rows = []
        for p in Purchase.query.filter_by(user_id=current_user.id).all():
            if p.status not in KNOWN_STATUSES:
                raise ValueError(f"purchase {p.id}: unknown status {p.status!r}")
            pay = Payment.query.filter_by(purchase_id=p.id).first()
            if pay and pay.payment_method not in KNOWN_METHODS:
                raise ValueError(f"payment {pay.id}: unknown method {pay.payment_method!r}")
            rows.append((p, pay, DeliveryAssignment.query.filter_by(purchase_id=p.id).first()))
        return render_template_string(PURCHASES, rows=rows)

    @app.route("/health")
    def health():
        return "ok"

    with app.app_context():
        db.create_all()
    return app


if __name__ == "__main__":
    create_app(sys.argv[1]).run(host="127.0.0.1", port=int(sys.argv[2]), debug=False)
