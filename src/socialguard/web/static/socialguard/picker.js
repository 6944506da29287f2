/* A filter box for long pickers. A static file because the Content-Security-Policy allows no inline
 * script. Without JavaScript the pickers still work, just without the box.
 *
 *  - <select data-filter>: typing narrows the options (rebuilt, since phones ignore hidden options);
 *    the chosen one moves to the first match, so what is submitted is what is shown.
 *  - checkboxes marked data-filter (a Django widget attribute) or inside [data-filter-list]: typing
 *    hides the boxes that do not match (a box in a [data-filter-group] also matches its .picker-heading);
 *    ticked ones stay, and a group whose boxes are all hidden is hidden with its heading.
 * The attribute's value is the box's label ("Find a runner"); short lists (under MIN choices) get none.
 *
 *  - <fieldset data-finder="URL" data-name="runners">: a list too long to send whole. Its search box
 *    (finder.html: without JavaScript, its Find button sends the form back to list the matches)
 *    asks URL?q=... as the person types and lists the people found, as boxes named data-name;
 *    ticked boxes stay. A <select data-follows="FIELDSET_ID"> keeps its options to the people in
 *    that list (the lead must be one of the runners shown).
 */
(function () {
  "use strict";
  var MIN = 8;
  var made = 0;

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ");
  }

  function matches(text, query) {
    var words = fold(query).trim().split(" ");
    var haystack = fold(text);
    return words.every(function (w) { return haystack.indexOf(w) !== -1; });
  }

  function filterBox(labelText, controls) {
    made += 1;
    var id = "picker-filter-" + made;
    var wrap = document.createElement("div");
    wrap.className = "picker-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = labelText;
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("aria-controls", controls);
    // Enter in the box would submit the whole form half filled in.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    var status = document.createElement("p");
    status.className = "help picker-status";
    status.setAttribute("aria-live", "polite");
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(status);
    return { wrap: wrap, input: input, status: status };
  }

  function enhanceSelect(select) {
    var all = Array.prototype.slice.call(select.options);
    var real = all.filter(function (o) { return o.value !== ""; });
    if (real.length < MIN || !select.id) return;
    var box = filterBox(select.getAttribute("data-filter") || "Search the list", select.id);
    select.parentNode.insertBefore(box.wrap, select);
    box.input.addEventListener("input", function () {
      var query = box.input.value;
      var chosen = select.value;
      var shown = all.filter(function (o) {
        return o.value === "" || !query.trim() || matches(o.textContent, query);
      });
      select.replaceChildren.apply(select, shown);
      var hits = shown.filter(function (o) { return o.value !== ""; });
      if (hits.some(function (o) { return o.value === chosen; })) {
        select.value = chosen;
      } else if (hits.length) {
        select.value = hits[0].value;
      }
      box.status.textContent = query.trim()
        ? hits.length + " of " + real.length + " match" + (hits.length ? "" : ": try fewer letters")
        : "";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function enhanceList(container) {
    var boxes = Array.prototype.slice.call(container.querySelectorAll("input[type=checkbox]"));
    if (boxes.length < MIN) return;
    if (!container.id) container.id = "picker-list-" + (made + 1);
    var legend = container.querySelector("legend");
    var marked = container.querySelector("[data-filter]");
    var text = container.getAttribute("data-filter-list") || (marked && marked.getAttribute("data-filter"));
    var box = filterBox(text || "Search the list", container.id);
    if (legend && legend.parentNode === container) {
      legend.insertAdjacentElement("afterend", box.wrap);
    } else {
      container.insertBefore(box.wrap, container.firstChild);
    }
    var groups = Array.prototype.slice.call(container.querySelectorAll("[data-filter-group]"));
    box.input.addEventListener("input", function () {
      var query = box.input.value;
      var hits = 0;
      boxes.forEach(function (input) {
        var item = input.parentElement;
        var group = input.closest("[data-filter-group]");
        var heading = group ? group.querySelector(".picker-heading") : null;
        var text = item.textContent + " " + (heading ? heading.textContent : "");
        var show = !query.trim() || input.checked || matches(text, query);
        item.hidden = !show;
        if (show) hits += 1;
      });
      groups.forEach(function (group) {
        var items = group.querySelectorAll("input[type=checkbox]");
        group.hidden = Array.prototype.every.call(items, function (i) { return i.parentElement.hidden; });
      });
      box.status.textContent = query.trim()
        ? hits + " of " + boxes.length + " shown" + (hits ? "" : ": try fewer letters")
        : "";
    });
  }

  function followers(fieldset) {
    return Array.prototype.slice.call(document.querySelectorAll("select[data-follows]")).filter(
      function (select) { return select.getAttribute("data-follows") === fieldset.id; }
    );
  }

  function follow(fieldset) {
    var boxes = Array.prototype.slice.call(fieldset.querySelectorAll("input[type=checkbox]"));
    followers(fieldset).forEach(function (select) {
      var chosen = select.value;
      var placeholder = Array.prototype.slice.call(select.options).filter(function (o) { return o.value === ""; });
      var options = boxes.map(function (box) {
        var label = fieldset.querySelector("label[for='" + box.id + "']");
        var option = document.createElement("option");
        option.value = box.value;
        option.textContent = label ? label.textContent : box.value;
        return option;
      });
      select.replaceChildren.apply(select, placeholder.concat(options));
      select.value = options.some(function (o) { return o.value === chosen; }) ? chosen : "";
    });
  }

  function enhanceFinder(fieldset) {
    var input = fieldset.querySelector(".finder input[type=search]");
    var list = fieldset.querySelector(".choices");
    var status = fieldset.querySelector(".finder-status");
    var button = fieldset.querySelector(".finder button");
    if (!input || !list) return;
    var name = fieldset.getAttribute("data-name");
    var url = fieldset.getAttribute("data-finder");
    var timer = null;
    var asked = 0;
    if (button) button.hidden = true; // the list follows the typing; no need to send the form
    status.textContent = "Type part of a name or a staff ID. The people you tick stay listed.";

    function show(people, more, query) {
      var kept = Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]")).filter(
        function (box) { return box.checked; }
      );
      var keptValues = kept.map(function (box) { return box.value; });
      var rows = kept.map(function (box) { return box.parentElement; });
      people.forEach(function (person) {
        var value = String(person.id);
        if (keptValues.indexOf(value) !== -1) return;
        var row = document.createElement("div");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = name;
        box.value = value;
        box.id = fieldset.id + "_found_" + value;
        var label = document.createElement("label");
        label.htmlFor = box.id;
        label.className = "inline choice";
        label.textContent = person.name;
        row.appendChild(box);
        row.appendChild(document.createTextNode(" "));
        row.appendChild(label);
        if (person.detail) {
          var detail = document.createElement("span");
          detail.className = "help";
          detail.textContent = " " + person.detail;
          row.appendChild(detail);
        }
        rows.push(row);
      });
      list.replaceChildren.apply(list, rows);
      if (!query) {
        status.textContent = "Type part of a name or a staff ID. The people you tick stay listed.";
      } else if (!people.length) {
        status.textContent = "Nobody found for \u201c" + query + "\u201d: try fewer letters.";
      } else {
        status.textContent = more
          ? "More than " + people.length + " found, the first " + people.length +
            " listed: type more of the name to narrow it."
          : people.length + " found.";
      }
      follow(fieldset);
    }

    function ask() {
      var query = input.value.trim();
      asked += 1;
      var mine = asked;
      if (query.length < 2) {
        show([], false, "");
        return;
      }
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(function (data) {
        if (mine === asked) show(data.people, data.more, query);
      }).catch(function () {
        status.textContent = "The search did not answer: press Enter to try again.";
        if (button) button.hidden = false;
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter searches now instead of sending the half-filled form
        clearTimeout(timer);
        ask();
      }
    });
    list.addEventListener("change", function () { follow(fieldset); });
  }

  function init() {
    document.querySelectorAll("fieldset[data-finder]").forEach(enhanceFinder);
    document.querySelectorAll("select[data-filter]").forEach(enhanceSelect);
    var lists = Array.prototype.slice.call(document.querySelectorAll("[data-filter-list]"));
    document.querySelectorAll("input[type=checkbox][data-filter]").forEach(function (input) {
      var fieldset = input.closest("fieldset");
      if (fieldset && lists.indexOf(fieldset) === -1) lists.push(fieldset);
    });
    lists.forEach(enhanceList);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
