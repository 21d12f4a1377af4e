// @ts-check
/** The print view's 打印 button: shown only with JavaScript (without it the page says to use the browser's print). */
for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('button[data-print]'))) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
