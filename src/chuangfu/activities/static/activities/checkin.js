// Camera QR scanning for the check-in page. Uses the browser's BarcodeDetector where it exists
// (Chrome on Android), jsQR otherwise (Safari on iPhone). A decoded code is put in the token
// form and submitted through htmx, exactly as if typed; the server decides what it means.
(function () {
  var video, canvas, status, toggle, stream = null, detector = null, timer = null;
  var lastCode = "", lastAt = 0;

  function say(key) { status.textContent = status.dataset[key] || ""; }

  function submit(code) {
    var now = Date.now();
    if (code === lastCode && now - lastAt < 3000) return; // the same ticket held in front of the camera
    lastCode = code; lastAt = now;
    var input = document.getElementById("token-input");
    input.value = code;
    htmx.trigger(document.getElementById("token-form"), "submit");
    if (navigator.vibrate) navigator.vibrate(80);
  }

  function scanFrame() {
    if (!stream || video.readyState < 2) return;
    if (detector) {
      detector.detect(video).then(function (codes) { if (codes.length) submit(codes[0].rawValue); }).catch(function () {});
      return;
    }
    if (typeof jsQR !== "function") return;
    var w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) return;
    var scale = Math.min(1, 640 / w);
    canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    var found = jsQR(ctx.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height, { inversionAttempts: "dontInvert" });
    if (found && found.data) submit(found.data);
  }

  function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { say("unsupported"); return; }
    if ("BarcodeDetector" in window) {
      try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
    }
    if (!detector && typeof jsQR !== "function") { say("unsupported"); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s; video.srcObject = s; video.hidden = false; video.play();
      toggle.textContent = toggle.dataset.stop; say("scanning");
      timer = setInterval(scanFrame, 250);
    }).catch(function () { say("denied"); });
  }

  function stop() {
    if (timer) clearInterval(timer);
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null; timer = null; video.hidden = true; toggle.textContent = toggle.dataset.start; status.textContent = "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    video = document.getElementById("camera");
    canvas = document.getElementById("camera-frame");
    status = document.getElementById("camera-status");
    toggle = document.getElementById("camera-toggle");
    if (!video) return;
    toggle.addEventListener("click", function () { stream ? stop() : start(); });
  });
})();
