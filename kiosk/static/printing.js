// Admin "Printers" page: open the PNG preview of the ticket typed in the form.
(function () {
  const form = document.getElementById("preview-form");
  if (!form) return;
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const ref = form.elements.ref.value.trim();
    if (!ref) return;
    window.location.href = form.dataset.base.replace("REF", encodeURIComponent(ref)) + "?paper=" + form.elements.paper.value;
  });
})();
