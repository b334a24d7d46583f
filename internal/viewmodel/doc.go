// Package viewmodel computes what the window shows from a snapshot, outside
// Fyne: the text of every field (escaped, ellipsized, with tabular
// digits), the colour role of each thing by what it means, which fields a
// tile keeps at which size, the table's rows and order. The views in ui/
// only draw these values, so everything here is tested with plain Go tests.
package viewmodel
