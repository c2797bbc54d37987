#include "app/demo_catalog.h"

#include <array>
#include <cstdint>
#include <cstdio>

#include <drogon/utils/coroutine.h>

#include <set>

#include "app/application.h"
#include "app/startup.h"
#include "db/database.h"
#include "db/repositories/book_repository.h"
#include "db/repositories/user_repository.h"
#include "domain/image_type.h"
#include "domain/money.h"
#include "domain/password.h"
#include "storage/cover_store.h"
#include "storage/upload_dir.h"

namespace bookstore::app {
namespace {

constexpr std::array<DemoAccount, 3> kSellers = {{
    {"Librería El Ateneo", "ateneo@demo.bookstore", "vendedor-demo-2025"},
    {"Second Hand Books Ltd", "secondhand@demo.bookstore", "vendedor-demo-2025"},
    {"Carlos Lector", "carlos@demo.bookstore", "vendedor-demo-2025"},
}};

struct DemoBook {
  const char* title;
  const char* author;
  const char* price;
  int stock;
  const char* description;
};

// Real books, in Spanish and English.
constexpr DemoBook kBooks[] = {
    {"Cien años de soledad", "Gabriel García Márquez", "24.90", 12,
     "La saga de los Buendía en Macondo."},
    {"El amor en los tiempos del cólera", "Gabriel García Márquez", "21.50", 8,
     "Florentino Ariza espera medio siglo."},
    {"Crónica de una muerte anunciada", "Gabriel García Márquez", "12.00", 15,
     "Un crimen que todo el pueblo vio venir."},
    {"Don Quijote de la Mancha", "Miguel de Cervantes", "29.99", 6,
     "El ingenioso hidalgo y su escudero."},
    {"La casa de los espíritus", "Isabel Allende", "19.90", 9,
     "Cuatro generaciones de la familia Trueba."},
    {"Rayuela", "Julio Cortázar", "18.75", 7, "Una novela que se puede leer en varios órdenes."},
    {"Ficciones", "Jorge Luis Borges", "15.40", 10, "Laberintos, bibliotecas y espejos."},
    {"El Aleph", "Jorge Luis Borges", "14.20", 11, "El punto que contiene todos los puntos."},
    {"Pedro Páramo", "Juan Rulfo", "11.90", 14, "Comala, un pueblo de murmullos."},
    {"La sombra del viento", "Carlos Ruiz Zafón", "22.00", 13,
     "El Cementerio de los Libros Olvidados."},
    {"Como agua para chocolate", "Laura Esquivel", "16.30", 9, "Recetas, amor y revolución."},
    {"La ciudad y los perros", "Mario Vargas Llosa", "17.80", 5,
     "Cadetes en el Colegio Leoncio Prado."},
    {"Conversación en La Catedral", "Mario Vargas Llosa", "23.10", 4,
     "¿En qué momento se jodió el Perú?"},
    {"El túnel", "Ernesto Sabato", "10.50", 12, "Juan Pablo Castel confiesa su crimen."},
    {"Los detectives salvajes", "Roberto Bolaño", "26.40", 6,
     "Dos poetas buscan a Cesárea Tinajero."},
    {"2666", "Roberto Bolaño", "32.00", 3, "Santa Teresa y sus crímenes."},
    {"La tregua", "Mario Benedetti", "13.60", 10, "El diario de Martín Santomé."},
    {"Marianela", "Benito Pérez Galdós", "9.90", 8, "Una joven lazarillo en Socartes."},
    {"La Regenta", "Leopoldo Alas «Clarín»", "20.00", 4, "Ana Ozores en Vetusta."},
    {"Nada", "Carmen Laforet", "14.95", 7, "Andrea llega a Barcelona tras la guerra."},
    {"Niebla", "Miguel de Unamuno", "11.20", 6, "Augusto Pérez discute con su autor."},
    {"Platero y yo", "Juan Ramón Jiménez", "8.50", 15, "Un burro pequeño, peludo, suave."},
    {"La colmena", "Camilo José Cela", "15.75", 5, "El Madrid de la posguerra en un café."},
    {"Los santos inocentes", "Miguel Delibes", "13.30", 9, "La vida en un cortijo extremeño."},
    {"El laberinto de la soledad", "Octavio Paz", "14.00", 6,
     "Ensayo sobre la identidad mexicana."},
    {"Patria", "Fernando Aramburu", "24.50", 8, "Dos familias vascas durante ETA."},
    {"El olvido que seremos", "Héctor Abad Faciolince", "19.00", 10,
     "Memoria de un padre asesinado."},
    {"La vorágine", "José Eustasio Rivera", "12.80", 7, "La selva devora a Arturo Cova."},
    {"María", "Jorge Isaacs", "9.40", 9, "Un idilio en el Valle del Cauca."},
    {"Delirio", "Laura Restrepo", "18.20", 6, "Agustina y la Bogotá de los años ochenta."},
    {"Travesuras de la niña mala", "Mario Vargas Llosa", "20.90", 8,
     "Un amor que cruza continentes."},
    {"El coronel no tiene quien le escriba", "Gabriel García Márquez", "10.90", 12,
     "Una carta que nunca llega."},
    {"Nineteen Eighty-Four", "George Orwell", "15.99", 14, "Big Brother is watching you."},
    {"Animal Farm", "George Orwell", "9.99", 16, "All animals are equal."},
    {"Pride and Prejudice", "Jane Austen", "11.50", 10, "Elizabeth Bennet and Mr Darcy."},
    {"Emma", "Jane Austen", "12.25", 6, "Handsome, clever, and rich."},
    {"To Kill a Mockingbird", "Harper Lee", "14.99", 11, "Scout, Atticus and Maycomb."},
    {"The Great Gatsby", "F. Scott Fitzgerald", "10.99", 13, "The green light across the bay."},
    {"Moby-Dick", "Herman Melville", "17.45", 5, "Call me Ishmael."},
    {"Frankenstein", "Mary Shelley", "8.99", 9, "The modern Prometheus."},
    {"Dracula", "Bram Stoker", "9.75", 8, "Letters and diaries from Transylvania."},
    {"Jane Eyre", "Charlotte Brontë", "11.95", 7, "Reader, I married him."},
    {"Wuthering Heights", "Emily Brontë", "10.80", 6, "Heathcliff and Catherine on the moors."},
    {"The Catcher in the Rye", "J. D. Salinger", "13.40", 9, "Holden Caulfield in New York."},
    {"Brave New World", "Aldous Huxley", "14.10", 8, "Community, identity, stability."},
    {"The Hobbit", "J. R. R. Tolkien", "16.90", 12,
     "In a hole in the ground there lived a hobbit."},
    {"The Lord of the Rings", "J. R. R. Tolkien", "39.90", 4, "One ring to rule them all."},
    {"Beloved", "Toni Morrison", "15.60", 5, "124 was spiteful."},
    {"The Road", "Cormac McCarthy", "13.99", 7, "A father and son walk south."},
    {"Things Fall Apart", "Chinua Achebe", "12.60", 8,
     "Okonkwo and the coming of the missionaries."},
    {"One Hundred Years of Solitude", "Gabriel García Márquez", "18.00", 6,
     "The English translation by Gregory Rabassa."},
    {"The Name of the Rose", "Umberto Eco", "19.50", 5, "Murder in a medieval abbey."},
    {"Crime and Punishment", "Fyodor Dostoevsky", "16.20", 6,
     "Raskolnikov's theory is put to the test."},
    {"Anna Karenina", "Leo Tolstoy", "21.75", 4, "All happy families are alike."},
    {"The Old Man and the Sea", "Ernest Hemingway", "9.50", 15, "Santiago and the great marlin."},
    {"Of Mice and Men", "John Steinbeck", "8.95", 10, "George and Lennie's dream of a farm."},
    {"The Grapes of Wrath", "John Steinbeck", "17.30", 5, "The Joads travel west."},
    {"Lord of the Flies", "William Golding", "10.40", 9, "Boys stranded on an island."},
    {"The Handmaid's Tale", "Margaret Atwood", "15.25", 8, "Offred in the Republic of Gilead."},
    {"Never Let Me Go", "Kazuo Ishiguro", "14.60", 7, "Kathy H. remembers Hailsham."},
    {"The Remains of the Day", "Kazuo Ishiguro", "13.80", 6, "A butler looks back."},
    {"Sapiens", "Yuval Noah Harari", "22.90", 10, "A brief history of humankind."},
    {"Dune", "Frank Herbert", "18.99", 9, "The spice must flow."},
    {"Fahrenheit 451", "Ray Bradbury", "11.10", 11, "The temperature at which paper burns."},
};

}  // namespace

int seedDemo(const config::Config& config) {
  storage::prepareUploadDir(config.uploadDir);
  auto admin = openAdminClient(config, std::chrono::seconds(30));
  migrateDatabase(config, admin);
  admin->closeAll();
  // The server's own repositories, driven synchronously (this is the CLI).
  const auto database = db::Database::open(config, 1);
  const db::UserRepository users(database);
  const db::BookRepository books(database, std::make_shared<db::CatalogChanges>());
  const storage::CoverStore covers(config.uploadDir);

  auto ensureUser = [&](const DemoAccount& account) -> int64_t {
    const std::string name = account.name;
    const std::string email = account.email;
    if (auto found = drogon::sync_wait(users.findByEmail(email))) return found->id;
    const std::string hash = domain::hashPassword(account.password, passwordHashFormat(config));
    auto created = drogon::sync_wait(users.create(name, email, hash));
    if (!created) throw std::runtime_error("cannot create the demo account " + email);
    return created->id;
  };
  ensureUser(kDemoBuyer);
  std::vector<int64_t> sellers;
  std::set<std::pair<int64_t, std::string>> listed;  // (seller, title) already on sale
  for (const auto& seller : kSellers) {
    const int64_t id = ensureUser(seller);
    sellers.push_back(id);
    for (const auto& book : drogon::sync_wait(books.bySeller(id))) listed.emplace(id, book.title);
  }

  int added = 0;
  size_t index = 0;
  for (const auto& demo : kBooks) {
    const int64_t sellerId = sellers[index++ % sellers.size()];
    if (listed.count({sellerId, demo.title}) > 0) continue;
    domain::ValidBook book{demo.title, demo.author, demo.description,
                           domain::parsePrice(demo.price).value_or(0), demo.stock};
    const int64_t bookId = drogon::sync_wait(books.create(sellerId, book));
    // Without the fonts the book keeps the pages' typeset placeholder.
    const std::string png = generateCoverPng(book.title, book.author);
    if (!png.empty()) {
      const std::string cover = covers.save(png, domain::ImageType::kPng);
      drogon::sync_wait(books.setCover(bookId, cover, static_cast<int64_t>(png.size())));
    }
    ++added;
  }
  database->close();
  return added;
}

}  // namespace bookstore::app
