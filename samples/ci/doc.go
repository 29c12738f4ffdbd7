// Package ci holds the CI pipelines a bridge project copies (GitHub
// Actions in github/, GitLab CI in gitlab/); its tests check their
// structure, that they call this repository's real commands, and that they
// name secrets without ever holding one.
package ci
