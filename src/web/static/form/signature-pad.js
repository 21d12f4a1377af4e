// @ts-check
/*
 * A finger-drawn signature on a <canvas>, exported as a PNG data: URL after every stroke. Pointer events where
 * the browser has them, touch + mouse otherwise. No DOM outside the canvas it is given.
 */

/**
 * @typedef {object} Pad
 * @property {() => void} size match the canvas bitmap to its laid-out size (after it becomes visible)
 * @property {() => void} clear
 * @property {() => boolean} isEmpty
 */

/**
 * @param {HTMLCanvasElement} canvas
 * @param {string | null} initial a data: URL drawn before (restored from the draft)
 * @param {(image: string | null) => void} onChange
 * @returns {Pad}
 */
export function makePad(canvas, initial, onChange) {
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  let image = initial || null;
  let drawing = false;
  let last = { x: 0, y: 0 };

  function setup() {
    ctx.lineWidth = 2.6; ctx.lineCap = 'round'; ctx.lineJoin = 'round'; ctx.strokeStyle = '#111'; ctx.fillStyle = '#111';
  }
  function size() {
    const rect = canvas.getBoundingClientRect();
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    const w = Math.round(rect.width * dpr);
    const h = Math.round(rect.height * dpr);
    if (!w || !h || (canvas.width === w && canvas.height === h)) return;
    canvas.width = w; canvas.height = h;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    setup();
    redraw();
  }
  function redraw() {
    if (!image) return;
    const img = new Image();
    img.onload = () => {
      ctx.save(); ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      ctx.restore();
    };
    img.src = image;
  }
  /** @param {{ clientX: number, clientY: number }} e */
  function pos(e) {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }
  /** @param {{ clientX: number, clientY: number }} e */
  function start(e) {
    size();
    drawing = true;
    last = pos(e);
    ctx.beginPath(); ctx.arc(last.x, last.y, 1.3, 0, Math.PI * 2); ctx.fill();
  }
  /** @param {{ clientX: number, clientY: number }} e */
  function move(e) {
    if (!drawing) return;
    const p = pos(e);
    ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke();
    last = p;
  }
  function end() {
    if (!drawing) return;
    drawing = false;
    image = canvas.toDataURL('image/png');
    canvas.classList.add('signed');
    onChange(image);
  }
  if (window.PointerEvent) {
    canvas.addEventListener('pointerdown', (e) => {
      if (e.button > 0) return;
      e.preventDefault();
      try { canvas.setPointerCapture(e.pointerId); } catch (x) { /* ignore */ }
      start(e);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!drawing) return;
      e.preventDefault();
      const evs = e.getCoalescedEvents ? e.getCoalescedEvents() : null;
      (evs && evs.length ? evs : [e]).forEach(move);
    });
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  } else {
    canvas.addEventListener('touchstart', (e) => { e.preventDefault(); start(e.touches[0]); }, { passive: false });
    canvas.addEventListener('touchmove', (e) => { e.preventDefault(); move(e.touches[0]); }, { passive: false });
    canvas.addEventListener('touchend', end);
    canvas.addEventListener('mousedown', (e) => { start(e); });
    canvas.addEventListener('mousemove', move);
    window.addEventListener('mouseup', end);
  }
  if (image) canvas.classList.add('signed');
  return {
    size,
    clear() {
      ctx.save(); ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.clearRect(0, 0, canvas.width, canvas.height); ctx.restore();
      image = null;
      canvas.classList.remove('signed');
      onChange(null);
    },
    isEmpty() { return !image; },
  };
}
