// @ts-check
// 一次性密码 page: the 复制 button copies the password (the field stays selectable for Ctrl+C without JavaScript).
const button = document.getElementById('otp-copy');
const status = document.getElementById('otp-status');
if (button) {
  button.addEventListener('click', async () => {
    const input = /** @type {HTMLInputElement | null} */ (document.getElementById(button.dataset.copy || ''));
    if (!input) return;
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      if (status) status.textContent = '已复制到剪贴板。请通过当面或其他安全渠道交给本人；离开本页后密码不会再显示。';
    } catch {
      if (status) status.textContent = '浏览器不允许自动复制，密码已选中，请按 Ctrl+C 复制。';
    }
  });
}

// 新建账号: show only the picker the chosen role uses (without JavaScript both stay, and the server takes the right one).
const role = /** @type {HTMLSelectElement | null} */ (document.getElementById('role'));
const divisionField = document.getElementById('divisionCode')?.closest('.field');
const institutionField = document.getElementById('institutionId')?.closest('.field');
// 执法证号: only accounts that inspect have one
const warrantField = document.getElementById('warrantNo')?.closest('.field');
if (role && divisionField instanceof HTMLElement && institutionField instanceof HTMLElement) {
  const sync = () => {
    divisionField.hidden = role.value === 'institution';
    institutionField.hidden = role.value !== 'institution';
    if (warrantField instanceof HTMLElement) warrantField.hidden = role.value === 'institution';
  };
  role.addEventListener('change', sync);
  sync();
}
