/** A saved item's key for people: 'speech.melEdit' -> 'Speech: mel edit'. */
export function workItemName(key: string): string {
  const [area, ...rest] = key.split('.');
  const words = rest
    .join(' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  const title = area.charAt(0).toUpperCase() + area.slice(1);
  return words ? `${title}: ${words}` : title;
}
