// Every sentence the HTML pages show, in Spanish and English. One X-macro
// list makes both the key enum and the table, so a key cannot lack a
// translation (the entry would not compile) and an empty one fails the
// static_assert below. A lookup is an array index.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace bookstore::web::i18n {

enum class Lang : uint8_t { kEs = 0, kEn = 1 };
inline constexpr size_t kLanguageCount = 2;

// "es", "en": the <html lang>, the cookie value and the switch's path.
constexpr std::string_view code(Lang lang) {
  return lang == Lang::kEn ? "en" : "es";
}

// X(key, Spanish, English). "{}" marks where fill() puts a value.
#define BOOKSTORE_MESSAGES(X)                                                                       \
  /* layout */                                                                                      \
  X(kSkipToContent, "Saltar al contenido", "Skip to content")                                       \
  X(kNavMain, "Navegación principal", "Main navigation")                                            \
  X(kNavToggle, "Menú", "Menu")                                                                     \
  X(kNavHome, "Inicio", "Home")                                                                     \
  X(kNavCatalog, "Catálogo", "Catalog")                                                             \
  X(kNavMyBooks, "Mis libros", "My books")                                                          \
  X(kNavPurchases, "Mis compras", "My purchases")                                                   \
  X(kNavUsers, "Usuarios", "Users")                                                                 \
  X(kNavProviders, "Proveedores", "Providers")                                                      \
  X(kLogout, "Cerrar sesión", "Log out")                                                            \
  X(kLogin, "Iniciar sesión", "Log in")                                                             \
  X(kRegister, "Registrarse", "Sign up")                                                            \
  X(kSwitchLanguage, "English", "Español")                                                          \
  X(kSwitchLanguageLabel, "Ver en inglés", "View in Spanish")                                       \
  X(kSignedInAs, "Sesión de", "Signed in as")                                                       \
  X(kBackToCatalog, "Volver al catálogo", "Back to the catalog")                                    \
  X(kErrorTitle, "Error", "Error")                                                                  \
  X(kPages, "Páginas", "Pages")                                                                     \
  X(kPrevious, "Anterior", "Previous")                                                              \
  X(kNext, "Siguiente", "Next")                                                                     \
  X(kPageNumber, "Página {}", "Page {}")                                                            \
  /* covers */                                                                                      \
  X(kCoverOf, "Portada de {}", "Cover of {}")                                                       \
  X(kNoCover, "Sin portada", "No cover")                                                            \
  /* home */                                                                                        \
  X(kHomeTitle, "Bienvenido a BookStore", "Welcome to BookStore")                                   \
  X(kHomeLead,                                                                                      \
    "Compra y vende libros: explora el catálogo, publica tus libros y sigue tus compras.",          \
    "Buy and sell books: browse the catalog, list your books and follow your purchases.")           \
  X(kSeeCatalog, "Ver catálogo", "See the catalog")                                                 \
  X(kNewestBooks, "Novedades", "New books")                                                         \
  X(kSeeAll, "Ver todo el catálogo", "See the whole catalog")                                       \
  X(kHomeYourBooks, "Mis libros ({})", "My books ({})")                                             \
  X(kHomeYourPurchases, "Mis compras ({})", "My purchases ({})")                                    \
  X(kHomeCreateAccount, "Crea una cuenta", "Create an account")                                     \
  X(kHomeOr, "o", "or")                                                                             \
  X(kHomeSignIn, "inicia sesión", "log in")                                                         \
  X(kHomeToBuyAndSell, "para vender y comprar.", "to sell and buy.")                                \
  /* catalog and books */                                                                           \
  X(kCatalog, "Catálogo", "Catalog")                                                                \
  X(kSearch, "Buscar", "Search")                                                                    \
  X(kSearchLabel, "Buscar por título o autor", "Search by title or author")                         \
  X(kSearchPlaceholder, "Título o autor", "Title or author")                                        \
  X(kSearchResults, "Resultados de «{}»", "Results for “{}”")                                       \
  X(kNoResults, "Sin resultados.", "No results.")                                                   \
  X(kAvailable, "Disponibles", "In stock")                                                          \
  X(kPrice, "Precio", "Price")                                                                      \
  X(kSeller, "Vendedor", "Seller")                                                                  \
  X(kQuantity, "Cantidad", "Quantity")                                                              \
  X(kQuantityOf, "Cantidad de «{}»", "Quantity of “{}”")                                            \
  X(kBuy, "Comprar", "Buy")                                                                         \
  X(kBuyTitle, "Comprar «{}»", "Buy “{}”")                                                          \
  X(kSoldOut, "Agotado", "Sold out")                                                                \
  X(kUnavailable, "Este libro ya no está disponible.", "This book is no longer available.")         \
  X(kEdit, "Editar", "Edit")                                                                        \
  X(kEditTitle, "Editar «{}»", "Edit “{}”")                                                         \
  X(kDelete, "Eliminar", "Delete")                                                                  \
  X(kDeleteTitle, "Eliminar «{}»", "Delete “{}”")                                                   \
  X(kMyBooks, "Mis libros", "My books")                                                             \
  X(kAddBook, "Publicar un libro", "List a book")                                                   \
  X(kNoBooksYet, "Todavía no has publicado libros.", "You have not listed any books yet.")          \
  X(kTitle, "Título", "Title")                                                                      \
  X(kAuthor, "Autor", "Author")                                                                     \
  X(kDescription, "Descripción", "Description")                                                     \
  X(kCover, "Portada", "Cover")                                                                     \
  X(kCoverReplaces, "(opcional: reemplaza la actual)", "(optional: replaces the current one)")      \
  X(kCoverFormats, "JPEG, PNG o WebP.", "JPEG, PNG or WebP.")                                       \
  X(kActions, "Acciones", "Actions")                                                                \
  X(kEditBook, "Editar libro", "Edit book")                                                         \
  X(kSaveChanges, "Guardar cambios", "Save changes")                                                \
  X(kPublish, "Publicar", "Publish")                                                                \
  X(kCancel, "Cancelar", "Cancel")                                                                  \
  X(kCheckFields, "Revisa los campos marcados.", "Check the marked fields.")                        \
  /* accounts */                                                                                    \
  X(kName, "Nombre", "Name")                                                                        \
  X(kEmail, "Correo electrónico", "Email")                                                          \
  X(kPassword, "Contraseña", "Password")                                                            \
  X(kPasswordHint, "Al menos 8 caracteres.", "At least 8 characters.")                              \
  X(kCreateAccount, "Crear cuenta", "Create account")                                               \
  X(kHaveAccount, "¿Ya tienes cuenta?", "Already have an account?")                                 \
  X(kLoginLink, "Inicia sesión", "Log in")                                                          \
  X(kNoAccount, "¿No tienes cuenta?", "No account yet?")                                            \
  X(kRegisterLink, "Regístrate", "Sign up")                                                         \
  X(kEnter, "Entrar", "Log in")                                                                     \
  X(kLoginFailed, "Login failed: el correo o la contraseña no son correctos.",                      \
    "Login failed: wrong email or password.")                                                       \
  /* buying */                                                                                      \
  X(kPaymentTitle, "Pago", "Payment")                                                               \
  X(kPaymentOf, "Pago de la compra #{}", "Payment of purchase #{}")                                 \
  X(kDeliveryTitle, "Entrega", "Delivery")                                                          \
  X(kDeliveryOf, "Entrega de la compra #{}", "Delivery of purchase #{}")                            \
  X(kBook, "Libro", "Book")                                                                         \
  X(kTotal, "Total", "Total")                                                                       \
  X(kPaymentMethod, "Método de pago", "Payment method")                                             \
  X(kPaymentSimulated, "El pago es simulado: no se cobra nada.",                                    \
    "The payment is simulated: nothing is charged.")                                                \
  X(kPay, "Pagar", "Pay")                                                                           \
  X(kPayAmount, "Pagar {}", "Pay {}")                                                               \
  X(kPayPurchase, "Pagar la compra #{}", "Pay purchase #{}")                                        \
  X(kCancelPurchase, "Cancelar la compra #{}", "Cancel purchase #{}")                               \
  X(kNoProviders, "No hay proveedores de entrega disponibles por ahora.",                           \
    "No delivery providers are available for now.")                                                 \
  X(kProvider, "Proveedor", "Provider")                                                             \
  X(kCoverage, "Cobertura", "Coverage")                                                             \
  X(kCost, "Costo", "Cost")                                                                         \
  X(kChooseProvider, "Proveedor de entrega", "Delivery provider")                                   \
  X(kConfirmDelivery, "Confirmar entrega", "Confirm delivery")                                      \
  X(kPurchases, "Mis compras", "My purchases")                                                      \
  X(kNoPurchases, "Todavía no has comprado nada.", "You have not bought anything yet.")             \
  X(kStatus, "Estado", "Status")                                                                    \
  X(kChooseDelivery, "Elegir entrega", "Choose delivery")                                           \
  X(kChooseDeliveryOf, "Elegir la entrega de la compra #{}", "Choose delivery of purchase #{}")     \
  X(kStatusPending, "Pendiente de pago", "Pending payment")                                         \
  X(kStatusPaid, "Pagado", "Paid")                                                                  \
  X(kStatusShipped, "Enviado", "Shipped")                                                           \
  X(kStatusCancelled, "Cancelada", "Cancelled")                                                     \
  X(kStatusUnknown, "Desconocido", "Unknown")                                                       \
  X(kMethodCard, "Tarjeta de crédito", "Credit card")                                               \
  X(kMethodPaypal, "PayPal", "PayPal")                                                              \
  X(kMethodTransfer, "Transferencia bancaria", "Bank transfer")                                     \
  X(kPurchaseCancelled,                                                                             \
    "Esta compra fue cancelada (por ti, o porque no se pagó a tiempo): sus ejemplares "            \
    "volvieron al catálogo.",                                                                       \
    "This purchase was cancelled (by you, or because it was not paid in time): its copies went "    \
    "back to the catalog.")                                                                         \
  /* admin */                                                                                       \
  X(kUsers, "Usuarios", "Users")                                                                    \
  X(kId, "ID", "ID")                                                                                \
  X(kAdministrator, "Administrador", "Administrator")                                               \
  X(kYes, "Sí", "Yes")                                                                              \
  X(kNo, "No", "No")                                                                                \
  X(kProvidersTitle, "Proveedores de entrega", "Delivery providers")                                \
  X(kNoProvidersAdmin, "No hay proveedores.", "There are no providers.")                            \
  X(kSave, "Guardar", "Save")                                                                       \
  X(kAddProvider, "Añadir proveedor", "Add a provider")                                             \
  X(kAdd, "Añadir", "Add")                                                                          \
  X(kProviderNameOf, "Nombre del proveedor {}", "Name of provider {}")                              \
  X(kProviderCoverageOf, "Cobertura del proveedor {}", "Coverage of provider {}")                   \
  X(kProviderCostOf, "Costo del proveedor {}", "Cost of provider {}")                               \
  X(kSaveProvider, "Guardar el proveedor {}", "Save provider {}")                                   \
  X(kDeleteProvider, "Eliminar el proveedor {}", "Delete provider {}")                              \
  X(kNewProviderName, "Nombre del nuevo proveedor", "New provider's name")                          \
  X(kNewProviderCoverage, "Cobertura del nuevo proveedor", "New provider's coverage")               \
  X(kNewProviderCost, "Costo del nuevo proveedor", "New provider's cost")                           \
  /* flash messages */                                                                              \
  X(kFlashRegistered, "Registro exitoso. Ahora puedes iniciar sesión.",                             \
    "Registration successful. You can log in now.")                                                 \
  X(kFlashLoggedIn, "Sesión iniciada.", "Logged in.")                                               \
  X(kFlashLoggedOut, "Sesión cerrada.", "Logged out.")                                              \
  X(kFlashLoginRequired, "Inicia sesión para continuar.", "Log in to continue.")                    \
  X(kFlashBookAdded, "Libro publicado.", "Book listed.")                                            \
  X(kFlashBookUpdated, "Libro actualizado.", "Book updated.")                                       \
  X(kFlashBookDeleted, "Libro eliminado.", "Book deleted.")                                         \
  X(kFlashBookArchived, "El libro tiene compras: se archivó y ya no aparece en el catálogo.",       \
    "The book has purchases: it was archived and no longer appears in the catalog.")                \
  X(kFlashPaid, "Pago registrado.", "Payment recorded.")                                            \
  X(kFlashAlreadyPaid, "Esta compra ya estaba pagada.", "This purchase was already paid.")          \
  X(kFlashPayFirst, "Primero paga la compra; después podrás elegir la entrega.",                    \
    "Pay for the purchase first; then you can choose the delivery.")                                \
  X(kFlashDeliveryChosen, "Proveedor de entrega asignado. ¡Gracias por tu compra!",                 \
    "Delivery provider assigned. Thank you for your purchase!")                                     \
  X(kFlashProviderSaved, "Proveedor guardado.", "Provider saved.")                                  \
  X(kFlashProviderDeleted, "Proveedor eliminado.", "Provider deleted.")                             \
  X(kFlashPurchaseCancelled, "Compra cancelada: sus ejemplares volvieron al catálogo.",             \
    "Purchase cancelled: its copies went back to the catalog.")                                     \
  X(kFlashAlreadyBought,                                                                            \
    "Ese formulario de compra ya se había enviado: no se compró otra vez. Esta es tu compra.",      \
    "That purchase form had already been sent: nothing was bought again. This is your "             \
    "purchase.")                                                                                    \
  /* error pages: statuses */                                                                       \
  X(kStatus400, "La solicitud no es válida.", "The request is not valid.")                          \
  X(kStatus401, "Necesitas iniciar sesión.", "You need to log in.")                                 \
  X(kStatus403, "No tienes permiso para hacer esto.", "You are not allowed to do this.")            \
  X(kStatus404, "La página que buscas no existe.", "The page you are looking for does not exist.")  \
  X(kStatus405, "Método no permitido para esta dirección.",                                         \
    "This method is not allowed for this address.")                                                 \
  X(kStatus409, "La operación entra en conflicto con el estado actual.",                            \
    "The operation conflicts with the current state.")                                              \
  X(kStatus413, "El archivo o el formulario es demasiado grande.",                                  \
    "The file or the form is too large.")                                                           \
  X(kStatus415, "Tipo de contenido no admitido.", "Unsupported content type.")                      \
  X(kStatus429, "Demasiados intentos. Espera unos minutos.",                                        \
    "Too many attempts. Wait a few minutes.")                                                       \
  X(kStatus503,                                                                                     \
    "El servicio no está disponible en este momento. Inténtalo de nuevo en unos segundos.",         \
    "The service is not available right now. Try again in a few seconds.")                          \
  X(kStatus507, "No queda espacio para guardar archivos. Inténtalo más tarde.",                     \
    "There is no room left to store files. Try again later.")                                       \
  X(kStatus500, "Ha ocurrido un error inesperado.", "An unexpected error happened.")                \
  /* error pages: refusals */                                                                       \
  X(kCsrfRefused,                                                                                   \
    "El formulario caducó o no es válido. Vuelve a cargar la página e inténtalo de nuevo.",         \
    "The form expired or is not valid. Reload the page and try again.")                             \
  X(kThrottled, "Demasiados intentos fallidos. Espera unos minutos antes de volver a intentarlo.",  \
    "Too many failed attempts. Wait a few minutes before trying again.")                            \
  X(kTooManyRegistrations,                                                                          \
    "Se han registrado demasiadas cuentas desde esta dirección. Inténtalo más tarde.",              \
    "Too many accounts were registered from this address. Try again later.")                        \
  X(kBusy, "El servidor está ocupado. Vuelve a intentarlo en un momento.",                          \
    "The server is busy. Try again in a moment.")                                                   \
  X(kNotAdmin, "Esta sección es solo para administradores.",                                        \
    "This section is for administrators only.")                                                     \
  X(kNotSeller, "Solo quien publicó este libro puede modificarlo.",                                 \
    "Only the seller who listed this book can change it.")                                          \
  X(kEmailTaken, "Ya existe una cuenta con ese correo electrónico.",                                \
    "An account with that email already exists.")                                                   \
  X(kStockLeft, "No hay suficientes unidades: quedan {}.", "Not enough copies: {} left.")           \
  X(kBookSoldOut, "Este libro está agotado.", "This book is sold out.")                             \
  X(kStockChanged,                                                                                  \
    "Las existencias cambiaron mientras editabas (se vendieron ejemplares): ahora hay {}. Revisa "  \
    "el formulario y vuelve a guardar; no se cambió nada.",                                         \
    "The stock changed while you were editing (copies were sold): there are now {}. Check the "     \
    "form and save again; nothing was changed.")                                                    \
  X(kNotPayable, "Esta compra no se puede pagar.", "This purchase cannot be paid.")                 \
  X(kNotPaid, "Primero debes pagar la compra para elegir la entrega.",                              \
    "You must pay for the purchase before choosing the delivery.")                                  \
  X(kDeliveryAlreadyChosen, "Ya elegiste el proveedor de entrega de esta compra.",                  \
    "You already chose the delivery provider of this purchase.")                                    \
  X(kNotCancellable, "Solo se puede cancelar una compra pendiente de pago.",                        \
    "Only a purchase pending payment can be cancelled.")                                            \
  X(kProviderInUse, "Este proveedor tiene entregas asignadas y no se puede eliminar.",              \
    "This provider has deliveries assigned and cannot be deleted.")                                 \
  X(kCoverTooLarge, "La portada supera el tamaño máximo permitido ({} MB).",                        \
    "The cover is larger than the maximum allowed ({} MB).")                                        \
  X(kCoverNotAnImage, "La portada debe ser una imagen JPEG, PNG o WebP válida.",                    \
    "The cover must be a valid JPEG, PNG or WebP image.")                                           \
  X(kFormReused,                                                                                    \
    "Este formulario ya se envió con otros datos. Recarga la página para hacer otra compra.",       \
    "This form was already sent with other data. Reload the page to make another purchase.")        \
  X(kRequestInFlight,                                                                               \
    "Tu compra anterior con este formulario aún se está procesando. Revisa «Mis compras» en "   \
    "unos segundos.",                                                                               \
    "Your earlier purchase with this form is still being processed. Check “My purchases” in a " \
    "few seconds.")                                                                                 \
  X(kBookQuota,                                                                                     \
    "Has publicado el máximo de {} libros por hora. Podrás publicar otro en {}; no se guardó "   \
    "nada.",                                                                                        \
    "You have listed the maximum of {} books per hour. You can list another in {}; nothing was "    \
    "saved.")                                                                                       \
  X(kMinute, "{} minuto", "{} minute")                                                              \
  X(kMinutes, "{} minutos", "{} minutes")                                                           \
  X(kCoverQuota,                                                                                    \
    "Tus portadas ya ocupan el espacio máximo permitido ({}). Elimina portadas o libros para "     \
    "subir otra; no se guardó nada.",                                                               \
    "Your covers already take all the space allowed ({}). Remove covers or books to upload "        \
    "another; nothing was saved.")                                                                  \
  X(kStorageFull,                                                                                   \
    "No queda espacio en el servidor para guardar la portada. No se guardó nada; inténtalo más " \
    "tarde.",                                                                                       \
    "The server has no room left to store the cover. Nothing was saved; try again later.")

enum class Msg : uint16_t {
#define BOOKSTORE_MESSAGE_KEY(key, es, en) key,
  BOOKSTORE_MESSAGES(BOOKSTORE_MESSAGE_KEY)
#undef BOOKSTORE_MESSAGE_KEY
      kCount
};

inline constexpr size_t kMessageCount = static_cast<size_t>(Msg::kCount);

// kMessages[key][language]
inline constexpr std::array<std::array<std::string_view, kLanguageCount>, kMessageCount> kMessages =
    {{
#define BOOKSTORE_MESSAGE_ROW(key, es, en) {{es, en}},
        BOOKSTORE_MESSAGES(BOOKSTORE_MESSAGE_ROW)
#undef BOOKSTORE_MESSAGE_ROW
    }};

// The number of "{}" places in a message (the unit tests check that both
// languages of a key have as many).
constexpr size_t placeCount(std::string_view text) {
  size_t count = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '{' && text[i + 1] == '}') ++count;
  }
  return count;
}

constexpr bool everyMessageTranslated() {
  for (const auto& row : kMessages) {
    for (const auto text : row) {
      if (text.empty()) return false;
    }
  }
  return true;
}
static_assert(everyMessageTranslated(), "every message needs non-empty Spanish and English text");

constexpr bool everyTranslationHasTheSamePlaces() {
  for (const auto& row : kMessages) {
    if (placeCount(row[0]) != placeCount(row[1])) return false;
  }
  return true;
}
static_assert(everyTranslationHasTheSamePlaces(), "a translation must keep every {} place");

// The text of `key` in `lang`: two array indexes.
constexpr std::string_view text(Lang lang, Msg key) {
  return kMessages[static_cast<size_t>(key)][static_cast<size_t>(lang)];
}

// The text of `key` with each "{}" replaced by the next of `values`, in order.
std::string fill(Lang lang, Msg key, std::initializer_list<std::string_view> values);

}  // namespace bookstore::web::i18n
