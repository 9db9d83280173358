// Package tools exists only so that this module has a package; the binaries
// it pins are declared with tool directives in go.mod.
package tools
