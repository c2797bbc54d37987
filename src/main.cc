#include "app/cli.h"

extern char** environ;

int main(int argc, char** argv) {
  return bookstore::app::runCli(argc, argv, environ);
}
