// Start Pagefind's search box on the search page (a file, so that the Content-Security-Policy can stay strict).
(function () {
  var box = document.getElementById("recherche");
  if (!box) return;
  if (typeof PagefindUI === "undefined") {  // built with --no-search, or in the preview
    box.textContent = "L’index de recherche n’a pas été construit pour cet aperçu : lancez « python build.py » pour l’obtenir.";
    return;
  }
  new PagefindUI({
    element: "#recherche",
    bundlePath: box.getAttribute("data-bundle"),
    showSubResults: true,
    showImages: false,
    resetStyles: false
  });
  // Give the search field a visible label (Pagefind only sets aria-label).
  function label() {
    var input = box.querySelector("input[type=text], input[type=search]");
    if (!input) return false;
    input.id = "champ-recherche";
    var text = document.createElement("label");
    text.htmlFor = input.id;
    text.className = "search-label";
    text.textContent = "Rechercher dans les questions et les réponses";
    box.insertBefore(text, box.firstChild);
    return true;
  }
  if (!label()) {
    new MutationObserver(function (changes, observer) {
      if (label()) observer.disconnect();
    }).observe(box, { childList: true, subtree: true });
  }
})();
