#pragma once

namespace bookstore::app {

// Parses the command line and runs the subcommand; returns the exit code.
int runCli(int argc, char** argv, char** environ);

}  // namespace bookstore::app
