// Search the site with Pagefind's JavaScript API (the index is in pagefind/).
// Results are built with DOM methods only: no HTML from the index reaches innerHTML.
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const root = new URL(form.dataset.root, window.location.href);
const FILTERS = ["place", "agency", "category", "year"];
let pagefind = null;

function say(text) {
  statusLine.textContent = text;
}

// Pagefind excerpts mark matches with <mark>; keep those, show everything else as text.
function excerpt(html) {
  const p = document.createElement("p");
  const parts = html.split(/(<mark>|<\/mark>)/);
  let marked = false;
  const scratch = document.createElement("textarea");
  for (const part of parts) {
    if (part === "<mark>") { marked = true; continue; }
    if (part === "</mark>") { marked = false; continue; }
    scratch.innerHTML = part;  // a textarea decodes entities without parsing markup
    const text = document.createTextNode(scratch.value);
    if (marked) {
      const mark = document.createElement("mark");
      mark.appendChild(text);
      p.appendChild(mark);
    } else {
      p.appendChild(text);
    }
  }
  return p;
}

function chosenFilters() {
  const chosen = {};
  for (const name of FILTERS) {
    const value = document.getElementById("filter-" + name).value;
    if (value) chosen[name] = value;
  }
  return chosen;
}

async function fillFilters(params) {
  const available = await pagefind.filters();
  for (const name of FILTERS) {
    const select = document.getElementById("filter-" + name);
    const values = Object.keys(available[name] || {}).sort();
    for (const value of values) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = value + " (" + available[name][value] + ")";
      select.appendChild(option);
    }
    select.value = params.get(name) || "";
  }
  document.getElementById("search-filters").hidden = false;
}

async function run() {
  const query = input.value.trim();
  const filters = chosenFilters();
  if (!query && Object.keys(filters).length === 0) {
    list.replaceChildren();
    say("Type a word or pick a filter.");
    return;
  }
  say("Searching…");
  const search = await pagefind.search(query || null, { filters });
  const results = await Promise.all(search.results.slice(0, 30).map((r) => r.data()));
  const items = results.map((data) => {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    li.appendChild(link);
    li.appendChild(excerpt(data.excerpt || ""));
    return li;
  });
  list.replaceChildren(...items);
  const n = search.results.length;
  say(n === 0 ? "No results." : n + " result" + (n === 1 ? "" : "s") + (n > 30 ? ", showing the first 30." : "."));
}

// A large site's index is cut into shards (pagefind/ is the first); pagefind/shards.json
// lists the others, which are searched together with it.
async function mergeShards() {
  const response = await fetch(new URL("pagefind/shards.json", root).href);
  if (!response.ok) return;  // a site indexed in one piece
  const shards = (await response.json()).merge || [];
  await Promise.all(shards.map((shard) => pagefind.mergeIndex(
    new URL("pagefind/" + shard, root).pathname, { baseUrl: root.pathname })));
}

async function start() {
  const params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  try {
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    await pagefind.options({ baseUrl: root.pathname });
    await pagefind.init();
    await mergeShards();
  } catch (error) {
    say("The search index is not available on this copy of the site. Browse by place, agency or category instead.");
    return;
  }
  await fillFilters(params);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (input.value.trim()) next.set("q", input.value.trim());
    for (const [name, value] of Object.entries(chosenFilters())) next.set(name, value);
    history.replaceState(null, "", "?" + next.toString());
    run();
  });
  for (const name of FILTERS) {
    document.getElementById("filter-" + name).addEventListener("change", run);
  }
  await run();
}

start();
