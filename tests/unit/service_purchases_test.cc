// PurchaseService against the real purchase and book repositories
// (service_fixture.h): stock taken atomically (no oversell under concurrent
// buyers), one payment, one delivery, purchases private to their buyer.
#include <chrono>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "db/transaction.h"
#include "service_fixture.h"

namespace bookstore::test {
namespace {

using services::Problem;

class ServicePurchases : public ServiceTest {
 protected:
  void SetUp() override {
    seller_ = makeUser("vendedora");
    buyer_ = makeUser("comprador");
    admin_user_ = makeAdmin("administradora");
  }

  services::Outcome<db::Purchase> buy(const db::User& user, int64_t bookId, int64_t quantity) {
    return run(purchaseService_->buy(user.id, bookId, quantity));
  }

  services::Outcome<services::PurchaseService::Payment> pay(const db::User& user,
                                                            int64_t purchaseId,
                                                            std::optional<std::string> method) {
    return run(purchaseService_->pay(user.id, purchaseId, std::move(method)));
  }

  services::Outcome<db::Purchase> deliver(const db::User& user, int64_t purchaseId,
                                          int64_t providerId) {
    return run(purchaseService_->chooseDelivery(user.id, purchaseId, providerId));
  }

  int64_t stockOf(int64_t bookId) {
    auto book = run(books_.find(bookId));
    return book ? book->stock : -1;
  }

  int64_t countRows(const std::string& sql, int64_t purchaseId) {
    return admin_->execSqlSync(sql, purchaseId)[0][0].as<int64_t>();
  }
  int64_t paymentsOf(int64_t purchaseId) {
    return countRows("SELECT COUNT(*) FROM payment WHERE purchase_id = ?", purchaseId);
  }
  int64_t deliveriesOf(int64_t purchaseId) {
    return countRows("SELECT COUNT(*) FROM delivery_assignment WHERE purchase_id = ?", purchaseId);
  }

  // A paid purchase of one copy of a new book.
  db::Purchase paidPurchase(const std::string& title) {
    auto book = publish(seller_, title);
    auto bought = buy(buyer_, book.id, 1);
    EXPECT_TRUE(bought.ok());
    auto paid = pay(buyer_, bought->id, std::string("Credit Card"));
    EXPECT_TRUE(paid.ok());
    return paid->purchase;
  }

  db::User seller_, buyer_, admin_user_;
};

TEST_F(ServicePurchases, BuyTakesTheStockAndRecordsAPendingPurchase) {
  auto book = publish(seller_, "Cien años de soledad", 5, 1999);
  auto bought = buy(buyer_, book.id, 2);
  ASSERT_TRUE(bought.ok());
  EXPECT_GT(bought->id, 0);
  EXPECT_EQ(bought->userId, buyer_.id);
  EXPECT_EQ(bought->bookId, book.id);
  EXPECT_EQ(bought->bookTitle, "Cien años de soledad");
  EXPECT_EQ(bought->quantity, 2);
  EXPECT_EQ(bought->totalCents, 2 * 1999);
  EXPECT_EQ(bought->status, "Pending Payment");
  EXPECT_FALSE(bought->payment.has_value());
  EXPECT_FALSE(bought->delivery.has_value());
  EXPECT_EQ(stockOf(book.id), 3);

  // The answer is the purchase as stored.
  auto reread = run(purchaseService_->purchaseOf(buyer_.id, bought->id));
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ(reread->totalCents, bought->totalCents);
  EXPECT_EQ(reread->status, bought->status);
  EXPECT_EQ(reread->quantity, 2);
}

TEST_F(ServicePurchases, BuyRefusesMoreThanTheStockSayingWhatIsLeft) {
  auto book = publish(seller_, "Escaso", 3);
  auto refused = buy(buyer_, book.id, 4);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem(), Problem::kInsufficientStock);
  EXPECT_EQ(refused.error().stockLeft, 3);
  EXPECT_EQ(stockOf(book.id), 3);

  ASSERT_TRUE(buy(buyer_, book.id, 3).ok());
  EXPECT_EQ(stockOf(book.id), 0);
  auto soldOut = buy(buyer_, book.id, 1);
  ASSERT_FALSE(soldOut.ok());
  EXPECT_EQ(soldOut.problem(), Problem::kInsufficientStock);
  EXPECT_EQ(soldOut.error().stockLeft, 0);
  EXPECT_EQ(run(purchaseService_->purchasesOf(buyer_.id, 1, 10)).total, 1);
}

TEST_F(ServicePurchases, BuyRefusesAMissingOrArchivedBook) {
  auto missing = buy(buyer_, 987654, 1);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.problem(), Problem::kBookNotFound);

  auto book = publish(seller_, "Retirado", 5);
  ASSERT_TRUE(buy(buyer_, book.id, 1).ok());
  auto removed = run(bookService_->remove(seller_.id, book.id));
  ASSERT_TRUE(removed.ok());
  ASSERT_EQ(removed.value(), services::BookService::Removal::kArchived);
  auto archived = buy(buyer_, book.id, 1);
  ASSERT_FALSE(archived.ok());
  EXPECT_EQ(archived.problem(), Problem::kBookNotFound);
  EXPECT_EQ(stockOf(book.id), 4);
}

TEST_F(ServicePurchases, BuyRefusesAQuantityOutOfRange) {
  auto book = publish(seller_, "Cantidades", 5);
  for (int64_t quantity : {int64_t{0}, int64_t{-1}, domain::kMaxQuantity + 1}) {
    auto refused = buy(buyer_, book.id, quantity);
    ASSERT_FALSE(refused.ok()) << quantity;
    EXPECT_EQ(refused.problem(), Problem::kInvalidFields);
    ASSERT_EQ(refused.error().fields.size(), 1u);
    EXPECT_EQ(refused.error().fields[0].field, "quantity");
  }
  // Validation comes first: even for a book that does not exist.
  EXPECT_EQ(buy(buyer_, 987654, 0).problem(), Problem::kInvalidFields);
  EXPECT_EQ(stockOf(book.id), 5);
}

TEST_F(ServicePurchases, PurchasesArePrivateToTheirBuyer) {
  auto book = publish(seller_, "Privado", 5);
  auto other = makeUser("curioso");
  auto mine = buy(buyer_, book.id, 1);
  ASSERT_TRUE(mine.ok());

  auto peek = run(purchaseService_->purchaseOf(other.id, mine->id));
  ASSERT_FALSE(peek.ok());
  EXPECT_EQ(peek.problem(), Problem::kPurchaseNotFound);
  auto missing = run(purchaseService_->purchaseOf(buyer_.id, mine->id + 1000));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.problem(), Problem::kPurchaseNotFound);

  auto pays = pay(other, mine->id, std::string("Paypal"));
  ASSERT_FALSE(pays.ok());
  EXPECT_EQ(pays.problem(), Problem::kPurchaseNotFound);
  EXPECT_EQ(paymentsOf(mine->id), 0);

  EXPECT_EQ(run(purchaseService_->purchasesOf(other.id, 1, 10)).total, 0);
}

TEST_F(ServicePurchases, PurchasesOfPagesNewestFirst) {
  auto book = publish(seller_, "Serie", 10);
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    auto bought = buy(buyer_, book.id, 1);
    ASSERT_TRUE(bought.ok());
    ids.push_back(bought->id);
  }
  auto first = run(purchaseService_->purchasesOf(buyer_.id, 1, 2));
  EXPECT_EQ(first.total, 3);
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].id, ids[2]);
  EXPECT_EQ(first.items[1].id, ids[1]);
  auto second = run(purchaseService_->purchasesOf(buyer_.id, 2, 2));
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].id, ids[0]);
}

TEST_F(ServicePurchases, PayOnceThenAgainChangesNothing) {
  auto book = publish(seller_, "Pagable", 5, 2500);
  auto bought = buy(buyer_, book.id, 2);
  ASSERT_TRUE(bought.ok());

  auto first = pay(buyer_, bought->id, std::string("Credit Card"));
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->firstPayment);
  EXPECT_EQ(first->purchase.id, bought->id);
  EXPECT_EQ(first->purchase.status, "Paid");
  ASSERT_TRUE(first->purchase.payment.has_value());
  EXPECT_EQ(first->purchase.payment->method, "Credit Card");
  EXPECT_EQ(first->purchase.payment->amountCents, 5000);
  EXPECT_EQ(first->purchase.payment->status, "Completed");
  EXPECT_EQ(paymentsOf(bought->id), 1);

  auto again = pay(buyer_, bought->id, std::string("paypal"));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->firstPayment);
  EXPECT_EQ(again->purchase.status, "Paid");
  ASSERT_TRUE(again->purchase.payment.has_value());
  EXPECT_EQ(again->purchase.payment->method, "Credit Card");
  EXPECT_EQ(again->purchase.payment->amountCents, 5000);
  EXPECT_EQ(paymentsOf(bought->id), 1);

  // The method is matched ignoring case and stored in its canonical spelling.
  auto other = buy(buyer_, book.id, 1);
  ASSERT_TRUE(other.ok());
  auto paypal = pay(buyer_, other->id, std::string("pAyPaL"));
  ASSERT_TRUE(paypal.ok());
  EXPECT_TRUE(paypal->firstPayment);
  EXPECT_EQ(paypal->purchase.payment->method, "Paypal");
  EXPECT_EQ(paypal->purchase.payment->amountCents, 2500);
}

TEST_F(ServicePurchases, PayRefusesAnUnknownMethodButAMissingPurchaseIsNotFound) {
  auto book = publish(seller_, "Método", 5);
  auto bought = buy(buyer_, book.id, 1);
  ASSERT_TRUE(bought.ok());

  for (const std::optional<std::string>& method :
       {std::optional<std::string>("Bitcoin"), std::optional<std::string>(""),
        std::optional<std::string>(" Paypal"), std::optional<std::string>()}) {
    auto refused = pay(buyer_, bought->id, method);
    ASSERT_FALSE(refused.ok()) << method.value_or("(none)");
    EXPECT_EQ(refused.problem(), Problem::kInvalidFields);
    ASSERT_EQ(refused.error().fields.size(), 1u);
    EXPECT_EQ(refused.error().fields[0].field, "method");

    auto missing = pay(buyer_, bought->id + 1000, method);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.problem(), Problem::kPurchaseNotFound);
  }
  auto missingValid = pay(buyer_, bought->id + 1000, std::string("Paypal"));
  ASSERT_FALSE(missingValid.ok());
  EXPECT_EQ(missingValid.problem(), Problem::kPurchaseNotFound);
  EXPECT_EQ(paymentsOf(bought->id), 0);
  EXPECT_EQ(run(purchaseService_->purchaseOf(buyer_.id, bought->id))->status, "Pending Payment");
}

TEST_F(ServicePurchases, PayRefusesAPurchaseInAnotherState) {
  auto book = publish(seller_, "Cancelado", 5);
  auto bought = buy(buyer_, book.id, 1);
  ASSERT_TRUE(bought.ok());
  // A state this server never writes (a legacy database may hold one).
  admin_->execSqlSync("UPDATE purchase SET status = 'Cancelled' WHERE id = ?", bought->id);
  auto refused = pay(buyer_, bought->id, std::string("Paypal"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem(), Problem::kNotPayable);
  EXPECT_EQ(paymentsOf(bought->id), 0);
}

TEST_F(ServicePurchases, DeliveryOnlyAfterPaymentAndOnlyOnce) {
  const auto provider = addProvider(admin_user_, "Mensajería Veloz", "7.25");
  auto book = publish(seller_, "Enviable", 5);
  auto bought = buy(buyer_, book.id, 1);
  ASSERT_TRUE(bought.ok());

  auto early = deliver(buyer_, bought->id, provider);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.problem(), Problem::kNotPaid);
  EXPECT_EQ(deliveriesOf(bought->id), 0);

  ASSERT_TRUE(pay(buyer_, bought->id, std::string("Bank Transfer")).ok());
  auto shipped = deliver(buyer_, bought->id, provider);
  ASSERT_TRUE(shipped.ok());
  EXPECT_EQ(shipped->status, "Shipped");
  ASSERT_TRUE(shipped->delivery.has_value());
  EXPECT_EQ(shipped->delivery->providerId, provider);
  EXPECT_EQ(shipped->delivery->providerName, "Mensajería Veloz");
  EXPECT_EQ(shipped->delivery->costCents, 725);
  ASSERT_TRUE(shipped->payment.has_value());
  EXPECT_EQ(shipped->payment->method, "Bank Transfer");

  auto twice = deliver(buyer_, bought->id, provider);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.problem(), Problem::kDeliveryAlreadyChosen);
  EXPECT_EQ(deliveriesOf(bought->id), 1);

  // Paying a shipped purchase again changes nothing either.
  auto repaid = pay(buyer_, bought->id, std::string("Paypal"));
  ASSERT_TRUE(repaid.ok());
  EXPECT_FALSE(repaid->firstPayment);
  EXPECT_EQ(repaid->purchase.status, "Shipped");
  ASSERT_TRUE(repaid->purchase.delivery.has_value());
  EXPECT_EQ(repaid->purchase.delivery->providerId, provider);
}

TEST_F(ServicePurchases, DeliveryRefusesAnUnknownProviderAndSomeoneElsesPurchase) {
  auto paid = paidPurchase("Destino incierto");
  auto unknown = deliver(buyer_, paid.id, 987654);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.problem(), Problem::kInvalidFields);
  ASSERT_EQ(unknown.error().fields.size(), 1u);
  EXPECT_EQ(unknown.error().fields[0].field, "provider_id");
  EXPECT_EQ(deliveriesOf(paid.id), 0);

  auto providers = run(providerService_->list());
  ASSERT_FALSE(providers.empty());
  auto other = makeUser("intruso");
  auto notHis = deliver(other, paid.id, providers[0].id);
  ASSERT_FALSE(notHis.ok());
  EXPECT_EQ(notHis.problem(), Problem::kPurchaseNotFound);
  auto missing = deliver(buyer_, paid.id + 1000, providers[0].id);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.problem(), Problem::kPurchaseNotFound);
  EXPECT_EQ(deliveriesOf(paid.id), 0);

  // Still free to choose a real one.
  EXPECT_TRUE(deliver(buyer_, paid.id, providers[0].id).ok());
}

// What the concurrent buys answered.
struct Tally {
  std::mutex mutex;
  std::condition_variable allDone;
  int pending = 0;
  int succeeded = 0, soldOut = 0, other = 0;
};

// One buyer's request, started at once and left running (as an I/O thread
// does with a request), reporting to `tally` when it ends.
drogon::AsyncTask buyOne(const services::PurchaseService* service, int64_t userId, int64_t bookId,
                         Tally* tally) {
  int* counter = &tally->other;
  try {
    auto outcome = co_await service->buy(userId, bookId, 1);
    if (outcome.ok()) {
      counter = &tally->succeeded;
    } else if (outcome.problem() == Problem::kInsufficientStock && outcome.error().stockLeft == 0) {
      counter = &tally->soldOut;
    }
  } catch (...) {
  }
  std::lock_guard lock(tally->mutex);
  ++*counter;
  if (--tally->pending == 0) tally->allDone.notify_all();
}

TEST_F(ServicePurchases, ConcurrentBuyersNeverOversell) {
  constexpr int64_t kStock = 5;
  constexpr int kThreads = 4;
  constexpr int kBuysPerThread = 5;
  constexpr int kBuys = kThreads * kBuysPerThread;
  auto book = publish(seller_, "Muy buscado", kStock);
  std::vector<db::User> buyers;
  for (int t = 0; t < kThreads; ++t) buyers.push_back(makeUser("prisa" + std::to_string(t)));

  Tally tally;
  tally.pending = kBuys;
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      // All of this thread's buys in flight at once.
      for (int i = 0; i < kBuysPerThread; ++i) {
        buyOne(purchaseService_.get(), buyers[t].id, book.id, &tally);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  {
    std::unique_lock lock(tally.mutex);
    ASSERT_TRUE(
        tally.allDone.wait_for(lock, std::chrono::seconds(30), [&] { return tally.pending == 0; }))
        << tally.pending << " buys never answered";
  }
  EXPECT_EQ(tally.succeeded, kStock);
  EXPECT_EQ(tally.soldOut, kBuys - kStock);
  EXPECT_EQ(tally.other, 0);
  EXPECT_EQ(stockOf(book.id), 0);
  auto rows = admin_->execSqlSync("SELECT COUNT(*), SUM(quantity) FROM purchase WHERE book_id = ?",
                                  book.id);
  EXPECT_EQ(rows[0][0].as<int64_t>(), kStock);
  EXPECT_EQ(rows[0][1].as<int64_t>(), kStock);
}

}  // namespace
}  // namespace bookstore::test

namespace bookstore::test {
namespace {

// Rule 13 through the service: cancel by the buyer, expiry by the sweep; the
// copies come back exactly once.
class ServicePurchaseExpiry : public ServiceTest {
 protected:
  // Created `ageSeconds` ago, as the sweep sees it.
  void backdate(int64_t purchaseId, int64_t ageSeconds) {
    admin_->execSqlSync("UPDATE purchase SET created_at = created_at - ? WHERE id = ?", ageSeconds,
                        purchaseId);
  }
  std::string statusOf(int64_t purchaseId) {
    return admin_->execSqlSync("SELECT status FROM purchase WHERE id = ?", purchaseId)[0][0]
        .as<std::string>();
  }
};

TEST_F(ServicePurchaseExpiry, BuyerCancelsOncePendingOnly) {
  const auto seller = makeUser("vendedora");
  const auto buyer = makeUser("comprador");
  const auto other = makeUser("otra");
  const auto book = publish(seller, "Cancelable", 5);
  auto bought = run(purchaseService_->buy(buyer.id, book.id, 3));
  ASSERT_TRUE(bought);
  EXPECT_EQ(run(purchaseService_->cancel(other.id, bought->id)).problem(),
            Problem::kPurchaseNotFound);
  auto cancelled = run(purchaseService_->cancel(buyer.id, bought->id));
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->status, "Cancelled");
  int64_t bookId = book.id;
  EXPECT_EQ(run(books_.find(bookId))->stock, 5);
  EXPECT_EQ(run(purchaseService_->cancel(buyer.id, bought->id)).problem(),
            Problem::kNotCancellable);
  EXPECT_EQ(run(books_.find(bookId))->stock, 5);
  std::optional<std::string> method = "Paypal";
  EXPECT_EQ(run(purchaseService_->pay(buyer.id, bought->id, std::move(method))).problem(),
            Problem::kNotPayable);
}

TEST_F(ServicePurchaseExpiry, SweepCancelsOnlyOverdueOnesOnceEach) {
  services::PurchaseService shortTimeout{purchases_, books_, 60};
  const auto seller = makeUser("vendedora");
  const auto buyer = makeUser("comprador");
  const auto book = publish(seller, "Caduca", 10);
  auto overdue = run(shortTimeout.buy(buyer.id, book.id, 4));
  auto fresh = run(shortTimeout.buy(buyer.id, book.id, 2));
  auto paidLate = run(shortTimeout.buy(buyer.id, book.id, 1));
  ASSERT_TRUE(overdue && fresh && paidLate);
  backdate(overdue->id, 61);
  backdate(paidLate->id, 3600);
  std::optional<std::string> method = "Paypal";
  ASSERT_TRUE(run(shortTimeout.pay(buyer.id, fresh->id, std::move(method))));
  // Two sweeps at once (two replicas): four copies come back, not eight.
  std::thread other([&] { run(shortTimeout.expireOverdue()); });
  const auto cancelled = run(shortTimeout.expireOverdue());
  other.join();
  EXPECT_LE(cancelled, 2);
  EXPECT_EQ(statusOf(overdue->id), "Cancelled");
  EXPECT_EQ(statusOf(paidLate->id), "Cancelled");
  EXPECT_EQ(statusOf(fresh->id), "Paid");
  int64_t bookId = book.id;
  EXPECT_EQ(run(books_.find(bookId))->stock, 10 - 2);
  EXPECT_EQ(run(shortTimeout.expireOverdue()), 0);
  EXPECT_EQ(run(books_.find(bookId))->stock, 8);
}

TEST_F(ServicePurchaseExpiry, CompatibleModeDeletesTheNeverPaidRow) {
  services::PurchaseService compatible{purchases_, books_, 60, db::CancelledRows::kDelete};
  const auto seller = makeUser("vendedora");
  const auto buyer = makeUser("comprador");
  const auto book = publish(seller, "Sin rastro", 3);
  auto bought = run(compatible.buy(buyer.id, book.id, 3));
  ASSERT_TRUE(bought);
  ASSERT_TRUE(run(compatible.cancel(buyer.id, bought->id)));
  EXPECT_EQ(admin_->execSqlSync("SELECT COUNT(*) FROM purchase")[0][0].as<int64_t>(), 0);
  int64_t bookId = book.id;
  EXPECT_EQ(run(books_.find(bookId))->stock, 3);
}

TEST_F(ServicePurchaseExpiry, CompatibleModeGivesNoCopiesBackToAnArchivedBook) {
  services::PurchaseService compatible{purchases_, books_, 60, db::CancelledRows::kDelete};
  const auto seller = makeUser("vendedora");
  const auto buyer = makeUser("comprador");
  const auto book = publish(seller, "Retirado con pedido", 4);
  auto pending = run(compatible.buy(buyer.id, book.id, 1));
  ASSERT_TRUE(pending);
  // Removed while a purchase is pending: archived with stock 0 in the mode.
  int64_t bookId = book.id;
  ASSERT_EQ(run(books_.remove(bookId, true)), db::DeleteOutcome::kArchived);
  ASSERT_TRUE(run(compatible.cancel(buyer.id, pending->id)));
  EXPECT_EQ(admin_->execSqlSync("SELECT COUNT(*) FROM purchase")[0][0].as<int64_t>(), 0);
  // The copy does not come back: the original, which lists archived books,
  // must have nothing of it to sell.
  EXPECT_EQ(admin_->execSqlSync("SELECT stock FROM book WHERE id = ?", bookId)[0][0].as<int64_t>(),
            0);
  // The control: without the mode the copy goes back (the book stays archived).
  auto kept = run(purchaseService_->buy(buyer.id, publish(seller, "Otro", 2).id, 1));
  ASSERT_TRUE(kept);
  ASSERT_EQ(run(books_.remove(kept->bookId)), db::DeleteOutcome::kArchived);
  ASSERT_TRUE(run(purchaseService_->cancel(buyer.id, kept->id)));
  EXPECT_EQ(
      admin_->execSqlSync("SELECT stock FROM book WHERE id = ?", kept->bookId)[0][0].as<int64_t>(),
      2);
}

TEST_F(ServicePurchaseExpiry, CompatibleSweepClearsWhatWasWrittenBeforeTheMode) {
  services::PurchaseService compatible{purchases_, books_, 60, db::CancelledRows::kDelete};
  const auto seller = makeUser("vendedora");
  const auto buyer = makeUser("comprador");
  const auto book = publish(seller, "Antes del modo", 10);
  // Without the mode: a purchase kept as "Cancelled", a paid one, a pending
  // one, and a sold book archived with its stock.
  auto cancelled = run(purchaseService_->buy(buyer.id, book.id, 1));
  auto paid = run(purchaseService_->buy(buyer.id, book.id, 2));
  auto pending = run(purchaseService_->buy(buyer.id, book.id, 3));
  ASSERT_TRUE(cancelled && paid && pending);
  ASSERT_TRUE(run(purchaseService_->cancel(buyer.id, cancelled->id)));
  std::optional<std::string> method = "Paypal";
  ASSERT_TRUE(run(purchaseService_->pay(buyer.id, paid->id, std::move(method))));
  int64_t bookId = book.id;
  ASSERT_EQ(run(books_.remove(bookId)), db::DeleteOutcome::kArchived);
  EXPECT_EQ(run(purchaseService_->clearWhatTheOriginalMisreads()), 0);  // not in the mode
  EXPECT_EQ(statusOf(cancelled->id), "Cancelled");

  // With it: the "Cancelled" row goes, the archived book's 5 copies too.
  EXPECT_EQ(run(compatible.clearWhatTheOriginalMisreads()), 2);
  EXPECT_EQ(admin_->execSqlSync("SELECT COUNT(*) FROM purchase WHERE id = ?", cancelled->id)[0][0]
                .as<int64_t>(),
            0);
  EXPECT_EQ(statusOf(paid->id), "Paid");
  EXPECT_EQ(statusOf(pending->id), "Pending Payment");
  EXPECT_EQ(admin_->execSqlSync("SELECT stock FROM book WHERE id = ?", bookId)[0][0].as<int64_t>(),
            0);
  EXPECT_EQ(run(compatible.clearWhatTheOriginalMisreads()), 0);  // nothing left to do
}

// A C++ exception after a transaction's first write (money edges, rule 3):
// RollbackUnlessCommitted rolls it back; without it Drogon would commit the
// stock taken when the transaction's last reference goes.
class TransactionRollback : public ServiceTest {};

drogon::Task<void> takeStockThenThrow(std::shared_ptr<db::Database> database, int64_t bookId,
                                      bool guarded) {
  auto trans = co_await database->writer()->newTransactionCoro();
  std::optional<db::RollbackUnlessCommitted> guard;
  if (guarded) guard.emplace(trans);
  co_await trans->execSqlCoro("UPDATE book SET stock = stock - 1 WHERE id = ?", bookId);
  throw std::runtime_error("injected failure mid-transaction");
}

TEST_F(TransactionRollback, AnExceptionRollsBackWhatWasWritten) {
  const auto seller = makeUser("vendedora");
  const auto book = publish(seller, "Guardado", 5);
  EXPECT_THROW(run(takeStockThenThrow(db_, book.id, true)), std::runtime_error);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the rollback is asynchronous
  int64_t bookId = book.id;
  EXPECT_EQ(run(books_.find(bookId))->stock, 5);
  // The control: unguarded, Drogon commits the half-done transaction.
  EXPECT_THROW(run(takeStockThenThrow(db_, book.id, false)), std::runtime_error);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(run(books_.find(bookId))->stock, 4);
}

}  // namespace
}  // namespace bookstore::test
