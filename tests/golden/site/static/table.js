// The findings table: filters with counts, sortable columns, and the shown rows as CSV.
// Without JavaScript the table is complete, newest first, and every facet has its own CSV.
// Values are read from the rows' data attributes and written with DOM methods only.
const table = document.getElementById("findings-table");
const form = document.getElementById("table-filters");
const countLine = document.getElementById("table-count");
const body = table.tBodies[0];
const rows = Array.from(body.rows);
const FILTERS = ["place", "agency", "category", "status", "review", "year"];
const LABELS = { review: { yes: "yes", no: "not yet" } };
// The spreadsheet-formula rule of reports/opendata.py (OWASP): = + - @ tab CR get a '.
const FORMULA = /^[=+\-@\t\r]/;

function values(row, name) {
  const raw = row.dataset[name] || "";
  // a finding names several agencies and may fall under several categories
  return name === "agency" || name === "category" ? raw.split("|").filter(Boolean) : [raw];
}

function fillFilters() {
  for (const name of FILTERS) {
    const counts = new Map();
    for (const row of rows) {
      for (const value of values(row, name)) counts.set(value, (counts.get(value) || 0) + 1);
    }
    const select = document.getElementById("filter-" + name);
    for (const value of Array.from(counts.keys()).sort()) {
      const option = document.createElement("option");
      option.value = value;
      const label = (LABELS[name] && LABELS[name][value]) || value;
      option.textContent = label + " (" + counts.get(value) + ")";
      select.appendChild(option);
    }
    select.addEventListener("change", applyFilters);
  }
}

function applyFilters() {
  let shown = 0;
  for (const row of rows) {
    const keep = FILTERS.every((name) => {
      const wanted = document.getElementById("filter-" + name).value;
      return !wanted || values(row, name).includes(wanted);
    });
    row.hidden = !keep;
    if (keep) shown += 1;
  }
  countLine.textContent = "Showing " + shown + " of " + rows.length + " findings.";
}

function sortBy(header) {
  const key = header.dataset.key;
  const ascending = header.getAttribute("aria-sort") !== "ascending";
  for (const other of table.tHead.rows[0].cells) other.removeAttribute("aria-sort");
  header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const sorted = rows.slice().sort((a, b) => {
    const order = (a.dataset[key] || "").localeCompare(b.dataset[key] || "");
    return ascending ? order : -order;
  });
  for (const row of sorted) body.appendChild(row);
}

function addSortButtons() {
  for (const header of table.tHead.rows[0].cells) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    while (header.firstChild) button.appendChild(header.firstChild);
    header.appendChild(button);
    button.addEventListener("click", () => sortBy(header));
  }
  table.tHead.rows[0].cells[0].setAttribute("aria-sort", "descending");
}

function cell(value) {
  const text = String(value);
  const safe = FORMULA.test(text) ? "'" + text : text;
  return /[",\n\r]/.test(safe) ? '"' + safe.replaceAll('"', '""') + '"' : safe;
}

function exportShown() {
  const lines = [["id", "event", "status", "first_seen", "place", "categories", "agencies",
                  "title", "reviewed", "finding_url"].join(",")];
  for (const row of body.rows) {
    if (row.hidden) continue;
    const d = row.dataset;
    lines.push([d.id, d.event, d.status, d.seen, d.place, values(row, "category").join("; "),
                values(row, "agency").join("; "), d.title, d.review, d.url].map(cell).join(","));
  }
  const blob = new Blob(["\ufeff" + lines.join("\n") + "\n"], { type: "text/csv" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = "findings-filtered.csv";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

fillFilters();
addSortButtons();
applyFilters();
document.getElementById("table-export").addEventListener("click", exportShown);
for (const hint of document.querySelectorAll(".js-only")) hint.hidden = false;
form.hidden = false;
