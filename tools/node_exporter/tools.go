// Package tools exists only so that this module has a package; the binary it
// pins is declared with a tool directive in go.mod.
package tools
