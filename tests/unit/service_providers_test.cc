// ProviderService against the real provider repository (service_fixture.h):
// everyone lists, only administrators change, a provider deliveries name stays.
#include <algorithm>
#include <string>
#include <vector>

#include "service_fixture.h"

namespace bookstore::test {
namespace {

using services::Problem;

std::vector<std::string> fieldsOf(const services::Error& error) {
  std::vector<std::string> fields;
  for (const auto& field : error.fields) fields.push_back(field.field);
  std::sort(fields.begin(), fields.end());
  return fields;
}

class ServiceProviders : public ServiceTest {
 protected:
  void SetUp() override {
    admin_user_ = makeAdmin("jefa");
    plain_ = makeUser("cliente");
  }

  services::Outcome<int64_t> add(const db::User& actor, domain::ProviderInput input) {
    db::User who = actor;
    return run(providerService_->add(std::move(who), std::move(input)));
  }
  services::Status edit(const db::User& actor, int64_t id, domain::ProviderInput input) {
    db::User who = actor;
    return run(providerService_->edit(std::move(who), id, std::move(input)));
  }
  services::Status remove(const db::User& actor, int64_t id) {
    db::User who = actor;
    return run(providerService_->remove(std::move(who), id));
  }
  std::optional<db::Provider> find(int64_t id) { return run(providers_.find(id)); }
  size_t count() { return run(providerService_->list()).size(); }

  db::User admin_user_, plain_;
};

TEST_F(ServiceProviders, TheOriginalsFourAreThereFromTheStart) {
  auto providers = run(providerService_->list());
  std::vector<std::string> names;
  for (const auto& provider : providers) names.push_back(provider.name);
  EXPECT_EQ(names, (std::vector<std::string>{"DHL", "FedEx", "Envia", "Servientrega"}));
  EXPECT_EQ(providers[0].costCents, 5000);
  EXPECT_EQ(providers[3].coverageArea, "Nacional");
}

TEST_F(ServiceProviders, AdministratorAddsEditsAndRemoves) {
  const auto before = count();
  auto added = add(admin_user_, {"  Correo Rápido ", " Andalucía ", "12.5"});
  ASSERT_TRUE(added.ok());
  auto stored = find(added.value());
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->name, "Correo Rápido");
  EXPECT_EQ(stored->coverageArea, "Andalucía");
  EXPECT_EQ(stored->costCents, 1250);
  EXPECT_EQ(count(), before + 1);
  EXPECT_EQ(run(providerService_->list()).back().id, added.value());

  ASSERT_TRUE(edit(admin_user_, added.value(), {"Correo Lento", "Galicia", "0"}).ok());
  stored = find(added.value());
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->name, "Correo Lento");
  EXPECT_EQ(stored->coverageArea, "Galicia");
  EXPECT_EQ(stored->costCents, 0);

  ASSERT_TRUE(remove(admin_user_, added.value()).ok());
  EXPECT_FALSE(find(added.value()).has_value());
  EXPECT_EQ(count(), before);
}

TEST_F(ServiceProviders, OnlyAdministratorsChangeProviders) {
  const auto before = count();
  auto added = add(plain_, {"Pirata", "Todas", "1.00"});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.problem(), Problem::kNotAdmin);
  EXPECT_EQ(count(), before);

  auto existing = run(providerService_->list()).front();
  auto edited = edit(plain_, existing.id, {"Pirata", "Todas", "1.00"});
  ASSERT_FALSE(edited.ok());
  EXPECT_EQ(edited.problem(), Problem::kNotAdmin);
  EXPECT_EQ(find(existing.id)->name, existing.name);

  auto removed = remove(plain_, existing.id);
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.problem(), Problem::kNotAdmin);
  EXPECT_TRUE(find(existing.id).has_value());

  // Not even invalid input or a missing provider gets past the check.
  EXPECT_EQ(add(plain_, {"", "", "x"}).problem(), Problem::kNotAdmin);
  EXPECT_EQ(edit(plain_, 987654, {"", "", "x"}).problem(), Problem::kNotAdmin);
  EXPECT_EQ(remove(plain_, 987654).problem(), Problem::kNotAdmin);
}

TEST_F(ServiceProviders, InvalidFieldsAreNamed) {
  const auto before = count();
  auto all = add(admin_user_, {"   ", "", "gratis"});
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.problem(), Problem::kInvalidFields);
  EXPECT_EQ(fieldsOf(all.error()), (std::vector<std::string>{"cost", "coverage_area", "name"}));

  auto cost = add(admin_user_, {"Caro", "Lejos", "1.234"});
  ASSERT_FALSE(cost.ok());
  EXPECT_EQ(fieldsOf(cost.error()), (std::vector<std::string>{"cost"}));
  auto negative = add(admin_user_, {"Caro", "Lejos", "-1"});
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(fieldsOf(negative.error()), (std::vector<std::string>{"cost"}));
  auto longName =
      add(admin_user_, {std::string(domain::kProviderNameMaxChars + 1, 'n'), "Lejos", "1"});
  ASSERT_FALSE(longName.ok());
  EXPECT_EQ(fieldsOf(longName.error()), (std::vector<std::string>{"name"}));
  EXPECT_EQ(count(), before);

  auto existing = run(providerService_->list()).front();
  auto edited = edit(admin_user_, existing.id, {"Bien", "\x01", "5"});
  ASSERT_FALSE(edited.ok());
  EXPECT_EQ(edited.problem(), Problem::kInvalidFields);
  EXPECT_EQ(fieldsOf(edited.error()), (std::vector<std::string>{"coverage_area"}));
  auto unchanged = find(existing.id);
  ASSERT_TRUE(unchanged.has_value());
  EXPECT_EQ(unchanged->name, existing.name);
  EXPECT_EQ(unchanged->coverageArea, existing.coverageArea);
  EXPECT_EQ(unchanged->costCents, existing.costCents);
}

TEST_F(ServiceProviders, MissingProviderIsNotFound) {
  auto edited = edit(admin_user_, 987654, {"Nadie", "Ninguna", "1"});
  ASSERT_FALSE(edited.ok());
  EXPECT_EQ(edited.problem(), Problem::kProviderNotFound);
  // Whatever was sent.
  auto invalid = edit(admin_user_, 987654, {"", "", ""});
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.problem(), Problem::kProviderNotFound);
  auto removed = remove(admin_user_, 987654);
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.problem(), Problem::kProviderNotFound);
}

TEST_F(ServiceProviders, AProviderADeliveryNamesStays) {
  const auto id = addProvider(admin_user_, "Usado", "3.00");
  auto unused = addProvider(admin_user_, "Sin usar", "3.00");

  auto seller = makeUser("vende");
  auto buyer = makeUser("compra");
  auto book = publish(seller, "Con envío");
  auto bought = run(purchaseService_->buy(buyer.id, book.id, 1));
  ASSERT_TRUE(bought.ok());
  std::optional<std::string> method = "Paypal";
  ASSERT_TRUE(run(purchaseService_->pay(buyer.id, bought->id, std::move(method))).ok());
  ASSERT_TRUE(run(purchaseService_->chooseDelivery(buyer.id, bought->id, id)).ok());

  auto removed = remove(admin_user_, id);
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.problem(), Problem::kProviderInUse);
  EXPECT_TRUE(find(id).has_value());
  // It can still be edited (the delivery shows the new name).
  ASSERT_TRUE(edit(admin_user_, id, {"Usado y renombrado", "Nacional", "3.00"}).ok());
  auto purchase = run(purchaseService_->purchaseOf(buyer.id, bought->id));
  ASSERT_TRUE(purchase.ok());
  ASSERT_TRUE(purchase->delivery.has_value());
  EXPECT_EQ(purchase->delivery->providerName, "Usado y renombrado");

  EXPECT_TRUE(remove(admin_user_, unused).ok());
}

}  // namespace
}  // namespace bookstore::test
