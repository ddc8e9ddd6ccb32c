/* 中文/English toggle: rebuild the link from the address bar at click time, so the state the page has
   pushed into the URL since it loaded (indicator, regions, years, filters) is kept. */
document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.lang-toggle");
    if (!link) { return; }
    var url = new URL(window.location.href);
    if (url.searchParams.get("lang") === "en") { url.searchParams.delete("lang"); }
    else { url.searchParams.set("lang", "en"); }
    event.preventDefault();
    window.location.assign(url.pathname + url.search + url.hash);
});
